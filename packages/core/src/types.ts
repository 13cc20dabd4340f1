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
  /** The page the comment was posted from (origin-checked); its permalink redirects there. */
  page?: { url: string; title: string | null } | null;
  /** The top-level comment whose sub-thread holds this reply (null for a top-level comment; absent: not known yet). */
  rootId?: string | null;
  /** How many readers like it (absent: none). */
  likes?: number;
  /** When a moderator featured it (absent or null: not featured). */
  featuredAt?: string | null;
  /**
   * Where the thread page's copy of a published comment lives (the store's business): its own page item
   * (`root`), inside its root's page item (`inline`), or beside it (`outside`).
   */
  placement?: "root" | "inline" | "outside" | null;
  /** Signed in by the host site when posting (absent on comments stored before sign-in existed: false). */
  authorVerified?: boolean;
  authorBadge?: "staff" | null;
  /** https only, from the sign-in token. */
  authorAvatar?: string | null;
  /** SHA-256 hex of the comment's edit token (the token itself is never stored). */
  editTokenHash?: string | null;
  /** When the author last edited it; `edits` counts the edits, `history` keeps the earlier bodies. */
  editedAt?: string | null;
  edits?: number;
  history?: CommentRevision[];
  /** A placeholder left by its author's delete (the comment had published replies). */
  deleted?: boolean;
}

/** An earlier body of an edited comment, and when it was written. */
export interface CommentRevision {
  body: string;
  at: string;
}

/** The public author of a comment: name, url and what sign-in adds (false/null for guests). */
export function publicAuthor(comment: StoredComment): PublicComment["author"] {
  return {
    name: comment.authorName,
    url: comment.authorUrl,
    verified: comment.authorVerified === true,
    badge: comment.authorBadge ?? null,
    avatar: comment.authorAvatar ?? null,
  };
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
    author: publicAuthor(comment),
    bodyHtml: comment.bodyHtml,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt ?? null,
    ...(comment.deleted ? { deleted: true as const } : {}),
    likes: comment.likes ?? 0,
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
    editedAt: comment.editedAt ?? null,
    ...(comment.deleted ? { deleted: true as const } : {}),
    likes: comment.likes ?? 0,
    status: comment.status,
    reasons: comment.reasons,
    details: comment.details,
    captchaScore: comment.captchaScore,
    flags: comment.flags,
    flagReasons: comment.flagReasons,
    history: comment.history ?? [],
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
