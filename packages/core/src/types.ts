/** Lifecycle of a stored comment. */
export type CommentStatus = "pending" | "published" | "rejected" | "spam";

/** Why a comment was queued (`pending`) or kept as `spam`. */
export type ReasonCode =
  | "captcha_low_score"
  | "captcha_unavailable"
  | "too_many_links"
  | "suspect_words"
  | "first_comment"
  | "reader_flags"
  | "external_hook"
  | "toxicity"
  | "banned_words"
  | "honeypot";

/** Why a reader flags a comment. */
export type FlagReason = "spam" | "abuse" | "off_topic" | "other";

/** A comment as every reader sees it (no email, no hashes, no status). */
export interface PublicComment {
  id: string;
  threadId: string;
  parentId: string | null;
  author: { name: string; url: string | null };
  bodyHtml: string;
  createdAt: string;
}

/** A comment as a moderator sees it. */
export interface ModComment extends Omit<PublicComment, "author"> {
  siteId: string;
  status: CommentStatus;
  reasons: string[];
  /** Human-readable explanation of each reason, in the same order. */
  details: string[];
  captchaScore: number | null;
  flags: number;
  flagReasons: Partial<Record<FlagReason, number>>;
  author: { name: string; email: string | null; url: string | null };
}

/** Everything stored about a comment. `ipHash` and `authorHash` are keyed hashes, never raw values. */
export interface StoredComment {
  siteId: string;
  threadId: string;
  id: string;
  parentId: string | null;
  authorName: string;
  authorEmail: string | null;
  authorUrl: string | null;
  authorHash: string;
  ipHash: string;
  body: string;
  bodyHtml: string;
  createdAt: string;
  status: CommentStatus;
  reasons: string[];
  details: string[];
  captchaScore: number | null;
  flags: number;
  flagReasons: Partial<Record<FlagReason, number>>;
  /** Set while the comment waits in the moderation queue. */
  queuedAt: string | null;
  /** Name of the moderator who made the last decision. */
  decidedBy?: string | null;
}

/** A thread's public summary. */
export interface ThreadSummary {
  siteId: string;
  threadId: string;
  commentCount: number;
  closed: boolean;
}

/** One moderation decision, as the audit log keeps it. */
export interface AuditEntry {
  at: string;
  moderator: string;
  action: string;
  threadId: string;
  commentId: string;
  fromStatus: CommentStatus | null;
  toStatus: CommentStatus | null;
  note: string | null;
}

/** An author ban, as moderators see it (hashes are never returned). */
export interface Ban {
  id: string;
  reason: string;
  createdAt: string;
  expiresAt: string | null;
  threadId: string | null;
  commentId: string | null;
  authorName: string | null;
}

/** Strips what readers must never see. */
export function toPublicComment(comment: StoredComment): PublicComment {
  return {
    id: comment.id,
    threadId: comment.threadId,
    parentId: comment.parentId,
    author: { name: comment.authorName, url: comment.authorUrl },
    bodyHtml: comment.bodyHtml,
    createdAt: comment.createdAt,
  };
}

/** The moderators' view of a comment. */
export function toModComment(comment: StoredComment): ModComment {
  return {
    id: comment.id,
    siteId: comment.siteId,
    threadId: comment.threadId,
    parentId: comment.parentId,
    author: { name: comment.authorName, email: comment.authorEmail, url: comment.authorUrl },
    bodyHtml: comment.bodyHtml,
    createdAt: comment.createdAt,
    status: comment.status,
    reasons: comment.reasons,
    details: comment.details,
    captchaScore: comment.captchaScore,
    flags: comment.flags,
    flagReasons: comment.flagReasons,
  };
}
