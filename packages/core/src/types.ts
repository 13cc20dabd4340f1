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
    likes: comment.likes ?? 0,
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
    likes: comment.likes ?? 0,
    status: comment.status,
    reasons: comment.reasons,
    details: comment.details,
    captchaScore: comment.captchaScore,
    flags: comment.flags,
    flagReasons: comment.flagReasons,
  };
}
