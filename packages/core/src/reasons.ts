/**
 * Why a comment was queued (`pending`) or kept as `spam`: the codes of the contract and, for each, the plain
 * words moderators read in `details`. One module, so the review page, mails and translations share one table.
 */
export const pendingReasonCodes = [
  "captcha_low_score",
  "captcha_unavailable",
  "too_many_links",
  "suspect_words",
  "first_comment",
  "reader_flags",
  "external_hook",
  "toxicity",
] as const;

/** Reasons that keep a comment out of sight as `spam` (`external_hook` may also answer spam). */
export const spamReasonCodes = ["banned_words", "honeypot"] as const;

/** Every reason code. */
export const reasonCodes = [...pendingReasonCodes, ...spamReasonCodes] as const;
export type ReasonCode = (typeof reasonCodes)[number];

/**
 * What a `422 nudge` tells the writer about each language reason, in plain words (no word lists, scores or
 * rule names: the writer learns what to reconsider, not how to get around the check).
 */
export const nudgeReasonWords: Partial<Record<ReasonCode, string>> = {
  suspect_words: "It uses words this site asks moderators to look at first.",
  toxicity: "It may read as insulting, threatening or hateful.",
  external_hook: "Our automatic check of the language held it for review.",
};

/** The plain-word reasons of a nudge, one per reason, in the order given. */
export const nudgeReasons = (reasons: readonly ReasonCode[]): string[] => reasons.flatMap((reason) => nudgeReasonWords[reason] ?? []);

/** The plain-word detail of each reason, as it is stored next to the code. */
export const reasonDetails = {
  captchaUnavailable: (why: string) => `captcha provider unavailable (${why})`,
  captchaLowScore: (score: number, reviewBelow: number) => `captcha score ${score} below ${reviewBelow}`,
  honeypot: () => "hidden honeypot field was filled",
  bannedWords: (found: readonly string[]) => `banned word: ${found.join(", ")}`,
  suspectWords: (found: readonly string[]) => `suspect word: ${found.join(", ")}`,
  tooManyLinks: (links: number, maxLinks: number) => `${links} links (more than ${maxLinks})`,
  firstComment: () => "first comment by this author on the site",
  readerFlags: (threshold: number) => `flagged by ${threshold} or more readers`,
  externalHookHeld: (reason: string | undefined) => `external hook: ${reason || "held for review"}`,
  externalHookSpam: (reason: string | undefined) => `external hook: spam${reason ? ` (${reason})` : ""}`,
  externalHookUnavailable: (why: string) => `external hook unavailable (${why})`,
  toxicity: (score: number, labels: readonly string[]) => `toxicity ${score.toFixed(2)}${labels.length > 0 ? ` (${labels.join(", ")})` : ""}`,
  toxicityUnavailable: (why: string) => `toxicity check unavailable (${why})`,
} as const;
