import type { ModComment, PublicComment } from "./contract.ts";
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
    editedAt: comment.editedAt ?? null,
    ...(comment.deleted ? { deleted: true as const } : {}),
    status: comment.status,
    reasons: comment.reasons,
    details: comment.details,
    captchaScore: comment.captchaScore,
    flags: comment.flags,
    flagReasons: comment.flagReasons,
    history: comment.history ?? [],
  };
}
