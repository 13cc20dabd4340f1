import type { ReasonCode } from "../reasons.ts";
import type { SiteConfig } from "../sites.ts";

/** What the captcha provider said about the reader. */
export type CaptchaOutcome =
  | { kind: "passed"; score: number | null }
  | { kind: "failed"; detail: string }
  | { kind: "unavailable"; detail: string };

/** Which write the pipeline serves: a new comment, or a reader's edit of their own (same phases, other gates). */
export type PipelineKind = "create" | "edit";

/** Everything a content phase may look at. */
export interface PhaseContext {
  kind: PipelineKind;
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
  /** The reason in plain words for moderators (see `reasonDetails`), e.g. "captcha score 0.52 below 0.7". */
  detail: string;
  /**
   * True when the finding is about the comment's language (suspect words, a toxicity score, an outside hook
   * holding it) — what a site's `nudge` warns the writer about. Unavailable services are not.
   */
  aboutLanguage?: boolean;
}

/** A moderation phase: returns a finding, nothing, or throws an `AppError` that refuses the comment. */
export type Phase = (context: PhaseContext) => PhaseFinding | undefined | Promise<PhaseFinding | undefined>;

/** The outcome of moderation for a comment. */
export interface ModerationDecision {
  status: "published" | "pending" | "spam";
  reasons: ReasonCode[];
  details: string[];
  /** The reasons of a `pending` decision that are about the comment's language (empty otherwise). */
  languageReasons: ReasonCode[];
}
