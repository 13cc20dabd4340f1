import type { CommentStatus } from "@comments/core";

/** A moderator's decision, as the statement of reasons needs it. */
export interface DecisionForMail {
  /** The status before and after the decision. */
  from: CommentStatus;
  to: CommentStatus;
  /** The author's address, when they gave one. */
  authorEmail: string | null;
}

/**
 * The address a statement of reasons goes to, or null: only for a comment a moderator rejected (never spam,
 * never an approval), only when its author gave an email, only when the site's `notify.decisionEmails` is on.
 */
export function statementRecipient(decision: DecisionForMail, settings: { decisionEmails: boolean }): string | null {
  if (!settings.decisionEmails || decision.to !== "rejected" || decision.from === "rejected") return null;
  const address = decision.authorEmail?.trim();
  return address ? address : null;
}
