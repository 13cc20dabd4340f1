import type { FlagReason, ModComment } from "@comments/core";

const reasonWords: Record<string, string> = {
  captcha_low_score: "low captcha score",
  captcha_unavailable: "captcha provider unavailable",
  too_many_links: "too many links",
  suspect_words: "suspect words",
  first_comment: "first comment by this author",
  external_hook: "held by the external moderation hook",
  toxicity: "toxicity check",
  banned_words: "banned words",
  honeypot: "hidden honeypot field was filled",
};

/** "flagged 3 times: spam (2), abuse (1)". */
export function flagsInWords(flags: number, reasons: Partial<Record<FlagReason, number>>): string {
  const counted = Object.entries(reasons)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${reason.replace(/_/g, " ")} (${count})`);
  return `flagged ${flags === 1 ? "once" : `${flags} times`}${counted.length > 0 ? `: ${counted.join(", ")}` : ""}`;
}

/**
 * Why a comment waits for a decision, in plain words: each reason's detail from post time ("captcha score
 * 0.52 below 0.7", "3 links (more than 2)", "suspect word: casino"), reader flags counted per reason.
 */
export function reasonsInWords(comment: Pick<ModComment, "reasons" | "details" | "flags" | "flagReasons">): string[] {
  const words = comment.reasons.flatMap((reason, index) =>
    reason === "reader_flags" ? [] : [comment.details[index] || reasonWords[reason] || reason.replace(/_/g, " ")],
  );
  if (comment.flags > 0) words.push(flagsInWords(comment.flags, comment.flagReasons));
  return words;
}

/** True for a published comment that readers flagged into the queue (approving it dismisses the flags). */
export const isFlaggedPublished = (comment: Pick<ModComment, "status">) => comment.status === "published";

/** A date a person reads, in their locale; the ISO value stays in the `datetime` attribute. */
export function readableTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
