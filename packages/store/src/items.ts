import type { AuditEntry, Ban, CommentStatus, FlagReason, PublicComment, StoredComment } from "@comments/core";
import { keys } from "./table.ts";

/** A raw table item. */
export type Item = Record<string, unknown>;

const flagReasons: readonly FlagReason[] = ["spam", "abuse", "off_topic", "other"];

/** Attribute holding the count of flags given for `reason` (top-level, so `ADD` works on it). */
export const flagReasonAttribute = (reason: FlagReason) => `fr_${reason}`;

/** The table item for a comment: published comments sit in the thread's page range, others outside it. */
export function commentToItem(comment: StoredComment): Item {
  const key =
    comment.status === "published"
      ? keys.publishedComment(comment.siteId, comment.threadId, comment.id)
      : keys.hiddenComment(comment.siteId, comment.threadId, comment.id);
  const item: Item = {
    ...key,
    type: "comment",
    ...keys.authorComments(comment.siteId, comment.authorHash, comment.id),
    siteId: comment.siteId,
    threadId: comment.threadId,
    id: comment.id,
    parentId: comment.parentId,
    authorName: comment.authorName,
    authorEmail: comment.authorEmail,
    authorUrl: comment.authorUrl,
    authorHash: comment.authorHash,
    ipHash: comment.ipHash,
    body: comment.body,
    bodyHtml: comment.bodyHtml,
    createdAt: comment.createdAt,
    status: comment.status,
    reasons: comment.reasons,
    details: comment.details,
    captchaScore: comment.captchaScore,
    flags: comment.flags,
    queuedAt: comment.queuedAt,
    decidedBy: comment.decidedBy ?? null,
  };
  for (const reason of flagReasons) {
    const count = comment.flagReasons[reason];
    if (count) item[flagReasonAttribute(reason)] = count;
  }
  if (comment.queuedAt !== null) Object.assign(item, keys.queue(comment.siteId, comment.queuedAt, comment.id));
  return item;
}

/** Reads a comment item back into the domain shape. */
export function itemToComment(item: Item): StoredComment {
  const counts: Partial<Record<FlagReason, number>> = {};
  for (const reason of flagReasons) {
    const count = item[flagReasonAttribute(reason)];
    if (typeof count === "number" && count > 0) counts[reason] = count;
  }
  return {
    siteId: String(item.siteId),
    threadId: String(item.threadId),
    id: String(item.id),
    parentId: (item.parentId as string | null | undefined) ?? null,
    authorName: String(item.authorName),
    authorEmail: (item.authorEmail as string | null | undefined) ?? null,
    authorUrl: (item.authorUrl as string | null | undefined) ?? null,
    authorHash: String(item.authorHash),
    ipHash: String(item.ipHash),
    body: String(item.body),
    bodyHtml: String(item.bodyHtml),
    createdAt: String(item.createdAt),
    status: item.status as CommentStatus,
    reasons: (item.reasons as string[] | undefined) ?? [],
    details: (item.details as string[] | undefined) ?? [],
    captchaScore: typeof item.captchaScore === "number" ? item.captchaScore : null,
    flags: typeof item.flags === "number" ? item.flags : 0,
    flagReasons: counts,
    queuedAt: (item.queuedAt as string | null | undefined) ?? null,
    decidedBy: (item.decidedBy as string | null | undefined) ?? null,
  };
}

/** The attributes a thread page reads: what readers see of a comment, and the thread item's counters. */
const threadPageAttributes = ["sk", "id", "threadId", "parentId", "authorName", "authorUrl", "bodyHtml", "createdAt", "commentCount", "version", "firstCommentAt"];

/**
 * `ProjectionExpression` of a thread page. DynamoDB bills the whole items either way, but only about half
 * the bytes travel and get unmarshalled.
 */
export const threadPageProjection = {
  ProjectionExpression: threadPageAttributes.map((_, i) => `#p${i}`).join(", "),
  ExpressionAttributeNames: Object.fromEntries(threadPageAttributes.map((name, i) => [`#p${i}`, name])),
};

/** Reads a comment item, or its {@link threadPageProjection}, as readers see it. */
export function itemToPublicComment(item: Item): PublicComment {
  return {
    id: String(item.id),
    threadId: String(item.threadId),
    parentId: (item.parentId as string | null | undefined) ?? null,
    author: { name: String(item.authorName), url: (item.authorUrl as string | null | undefined) ?? null },
    bodyHtml: String(item.bodyHtml),
    createdAt: String(item.createdAt),
  };
}

/** Reads an audit item. */
export function itemToAudit(item: Item): AuditEntry {
  return {
    at: String(item.at),
    moderator: String(item.moderator),
    action: String(item.action),
    threadId: String(item.threadId),
    commentId: String(item.commentId),
    fromStatus: (item.fromStatus as CommentStatus | null | undefined) ?? null,
    toStatus: (item.toStatus as CommentStatus | null | undefined) ?? null,
    note: (item.note as string | null | undefined) ?? null,
  };
}

/** Reads a ban item (hashes stay behind). */
export function itemToBan(item: Item): Ban {
  return {
    id: String(item.banId),
    reason: String(item.reason),
    createdAt: String(item.createdAt),
    expiresAt: (item.expiresAt as string | null | undefined) ?? null,
    threadId: (item.threadId as string | null | undefined) ?? null,
    commentId: (item.commentId as string | null | undefined) ?? null,
    authorName: (item.authorName as string | null | undefined) ?? null,
  };
}

/** Epoch seconds for DynamoDB TTL. */
export const epochSeconds = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000);
