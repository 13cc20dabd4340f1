import type { SiteConfig } from "../sites.ts";
import type { ReasonCode } from "../types.ts";
import { AppError, messages } from "../errors.ts";
import { countLinks } from "../render.ts";

/** What the captcha provider said about the reader. */
export type CaptchaOutcome =
  | { kind: "passed"; score: number | null }
  | { kind: "failed"; detail: string }
  | { kind: "unavailable"; detail: string };

/** Everything a content phase may look at. */
export interface PhaseContext {
  site: SiteConfig;
  body: string;
  bodyHtml: string;
  website: string | undefined;
  /** The captcha outcome; a `failed` outcome never reaches the phases. */
  captcha: Extract<CaptchaOutcome, { kind: "passed" | "unavailable" }>;
  /** True once one of this author's comments has been published on the site. */
  authorHasPublished: boolean;
  /** The thread the comment is posted to (for phases that ask an outside service). */
  threadId?: string;
  /** The author's display name (never the email or IP). */
  authorName?: string;
}

/** One finding: `spam` keeps the comment out of sight, `pending` queues it for a moderator. */
export interface PhaseFinding {
  status: "spam" | "pending";
  reason: ReasonCode;
  /** The reason in plain words for moderators, e.g. "captcha score 0.52 below 0.7". */
  detail: string;
}

/** A moderation phase: returns a finding, nothing, or throws an {@link AppError} that refuses the comment. */
export type Phase = (context: PhaseContext) => PhaseFinding | undefined | Promise<PhaseFinding | undefined>;

/** Score below `minScore` refuses; below `reviewBelow` queues; an outage queues. */
export const captchaScorePhase: Phase = ({ site, captcha }) => {
  if (captcha.kind === "unavailable") {
    return { status: "pending", reason: "captcha_unavailable", detail: `captcha provider unavailable (${captcha.detail})` };
  }
  if (captcha.score === null) return undefined;
  if (captcha.score < site.captcha.minScore) {
    throw new AppError("captcha_score_too_low", messages.captchaScoreTooLow);
  }
  if (captcha.score < site.captcha.reviewBelow) {
    return {
      status: "pending",
      reason: "captcha_low_score",
      detail: `captcha score ${captcha.score} below ${site.captcha.reviewBelow}`,
    };
  }
  return undefined;
};

/** A filled honeypot field means a bot filled every input it saw. */
export const honeypotPhase: Phase = ({ website }) =>
  website !== undefined && website.trim() !== ""
    ? { status: "spam", reason: "honeypot", detail: "hidden honeypot field was filled" }
    : undefined;

/** Finds the configured words that occur in `text` as whole words, ignoring case. */
export function findWords(text: string, words: readonly string[]): string[] {
  return words.filter((word) => {
    const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return escaped !== "" && new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, "iu").test(text);
  });
}

export const bannedWordsPhase: Phase = ({ site, body }) => {
  const found = findWords(body, site.moderation.bannedWords);
  return found.length > 0 ? { status: "spam", reason: "banned_words", detail: `banned word: ${found.join(", ")}` } : undefined;
};

export const suspectWordsPhase: Phase = ({ site, body }) => {
  const found = findWords(body, site.moderation.suspectWords);
  return found.length > 0 ? { status: "pending", reason: "suspect_words", detail: `suspect word: ${found.join(", ")}` } : undefined;
};

export const linkCountPhase: Phase = ({ site, bodyHtml }) => {
  const links = countLinks(bodyHtml);
  return links > site.moderation.maxLinks
    ? { status: "pending", reason: "too_many_links", detail: `${links} links (more than ${site.moderation.maxLinks})` }
    : undefined;
};

export const firstCommentPhase: Phase = ({ site, authorHasPublished }) =>
  site.moderation.premoderateFirstComment && !authorHasPublished
    ? { status: "pending", reason: "first_comment", detail: "first comment by this author on the site" }
    : undefined;

/** The content phases, in the order they run (after ban, closed thread, rate limit, parent and captcha checks). */
export const contentPhases: readonly Phase[] = [
  captchaScorePhase,
  honeypotPhase,
  bannedWordsPhase,
  suspectWordsPhase,
  linkCountPhase,
  firstCommentPhase,
];

/** The outcome of moderation for a new comment. */
export interface ModerationDecision {
  status: "published" | "pending" | "spam";
  reasons: ReasonCode[];
  details: string[];
}

/**
 * Runs every phase in order and combines the findings: any spam finding wins (and only spam reasons are
 * kept), else any pending finding queues the comment, else it is published. `outsidePhases` (calls to other
 * services: hooks, toxicity models) run last and are skipped for a comment that is already spam — their answer
 * could not change the decision, and they may cost money per call.
 */
export async function moderate(
  context: PhaseContext,
  phases: readonly Phase[] = contentPhases,
  outsidePhases: readonly Phase[] = [],
): Promise<ModerationDecision> {
  const findings: PhaseFinding[] = [];
  for (const phase of phases) {
    const finding = await phase(context);
    if (finding) findings.push(finding);
  }
  for (const phase of outsidePhases) {
    if (findings.some((f) => f.status === "spam")) break;
    const finding = await phase(context);
    if (finding) findings.push(finding);
  }
  const spam = findings.filter((f) => f.status === "spam");
  const chosen = spam.length > 0 ? spam : findings;
  const status = spam.length > 0 ? "spam" : findings.length > 0 ? "pending" : "published";
  return { status, reasons: chosen.map((f) => f.reason), details: chosen.map((f) => f.detail) };
}
