import type { AuthorCounts, CommentRecord, ModComment, PublicComment } from "./contract.ts";
import type { CommentStatus, FlagReason } from "./schemas.ts";

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
  /** When its author last edited it (absent or null: never). */
  editedAt?: string | null;
  /** Its earlier versions, oldest first (absent: never edited). */
  history?: { bodyHtml: string; editedAt: string }[];
}

/** What a moderator sees around a comment besides the comment itself (read in batches for a page). */
export interface ModCommentContext {
  thread: { url: string | null; title: string | null };
  parent: PublicComment | null;
  author: { ref: string | null; counts: AuthorCounts; banned: boolean };
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

/** A stored comment's record, without context (moderators' base view, readers' data export). */
export function toCommentRecord(comment: StoredComment): CommentRecord {
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

/** The moderators' view of a comment, with its context. */
export function toModComment(comment: StoredComment, context: ModCommentContext): ModComment {
  const record = toCommentRecord(comment);
  return {
    ...record,
    author: { ...record.author, ...context.author },
    thread: context.thread,
    parent: context.parent,
    editedAt: comment.editedAt ?? null,
    history: comment.history ?? [],
  };
}
