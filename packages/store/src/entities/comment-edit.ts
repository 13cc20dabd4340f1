import type { StoredComment } from "@comments/core";
import { commentToItem, erasedAuthorName, erasedBodyHtml, erasedCommentItem, queueIndexKey } from "./comment.ts";
import { epochSeconds, itemHeader, type Item, type WriteItem } from "./item.ts";
import { copyUpdate, unpublishWrites } from "./page.ts";
import { threadChange, threadPartition, threadVersionBump } from "./thread.ts";

/**
 * A reader's own changes to their comment: edits (in place, or out of the thread into the queue), deletes
 * (a placeholder where published replies hang on it, else removal) and the short-lived marker a removed
 * comment leaves (`G#<commentId>`), so a repeated delete is answered the same way.
 */

interface CommentRef {
  siteId: string;
  threadId: string;
  commentId: string;
}

/** How long a removed comment's marker answers a repeated delete. */
export const deletedMarkerTtlSeconds = 30 * 24 * 3600;

/** The key of a removed comment's marker. */
export const deletedMarkerKey = (ref: CommentRef) => ({ pk: threadPartition(ref), sk: `G#${ref.commentId}` });

/** The marker item a removed comment leaves (no personal data: ids and when). */
export const deletedMarkerPut = (ref: CommentRef, at: string): WriteItem => ({
  Put: {
    Item: { ...deletedMarkerKey(ref), ...itemHeader("deletedComment"), siteId: ref.siteId, threadId: ref.threadId, id: ref.commentId, deletedAt: at, ttl: epochSeconds(at) + deletedMarkerTtlSeconds },
  },
});

/**
 * The condition that the comment is still as the reader's request read it: same status, same number of edits
 * and flags, same place in (or out of) the moderation queue. A concurrent edit, delete, flag or moderator
 * decision changes one of them, so exactly one of two racing writes wins.
 */
export function unchangedSince(current: StoredComment) {
  const queued = current.queuedAt === null ? "attribute_not_exists(gsi1pk)" : "gsi1sk = :qsk";
  const edits = (current.edits ?? 0) === 0 ? "(attribute_not_exists(edits) OR edits = :edits)" : "edits = :edits";
  return {
    ConditionExpression: `#status = :status AND ${edits} AND flags = :flags AND ${queued}`,
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: {
      ":status": current.status,
      ":edits": current.edits ?? 0,
      ":flags": current.flags,
      ...(current.queuedAt === null ? {} : { ":qsk": queueIndexKey({ siteId: current.siteId, queuedAt: current.queuedAt, commentId: current.id }).gsi1sk }),
    },
  };
}

/** Moves the comment from its current item to `next` (same key: a put in place), conditioned on {@link unchangedSince}. */
function replaceWrites(current: StoredComment, next: Item): WriteItem[] {
  const old = commentToItem(current);
  const condition = unchangedSince(current);
  if (old.sk === next.sk) return [{ Put: { Item: next, ...condition } }];
  return [{ Delete: { Key: { pk: old.pk, sk: old.sk }, ...condition } }, { Put: { Item: next } }];
}

/** The thread counter change when a comment leaves the published set. */
const leavesThread = (comment: StoredComment): WriteItem =>
  threadChange({ siteId: comment.siteId, threadId: comment.threadId, commentCreatedAt: comment.createdAt, delta: -1 });

/** A published comment with its sub-thread's root, as the page items place it. */
const placed = (comment: StoredComment) => ({ ...comment, rootId: comment.rootId ?? (comment.parentId === null ? null : comment.parentId) });

/**
 * The writes of an edit: the comment as edited (first item carries the condition), its page copy (rewritten, or
 * taken off the page when the edit sends it to the queue), and the counter when it leaves the thread.
 */
export function editWrites(current: StoredComment, next: StoredComment): WriteItem[] {
  const writes = replaceWrites(current, commentToItem(next));
  if (current.status === "published" && next.status !== "published") {
    writes.push(...unpublishWrites(placed(current)), leavesThread(current));
  } else if (next.status === "published") {
    writes.push(copyUpdate(placed(current), { set: { h: next.bodyHtml, e: next.editedAt ?? null } }));
    // An edit in place changes the published set's content: a new thread version, so ETags change and no 304 is stale.
    writes.push(threadVersionBump({ siteId: current.siteId, threadId: current.threadId }));
  }
  return writes;
}

/** The page copy of a placeholder: no name, link, avatar or words of its author left. */
const placeholderCopy = { a: erasedAuthorName, h: erasedBodyHtml, u: null, v: null, b: null, av: null, e: null, d: true };

/**
 * The writes of an author's delete: the placeholder (`[deleted]`, no personal data, `deleted: true`) in the
 * comment's place when published replies hang on it, else its removal and a marker; the count drops by one.
 */
export function authorDeleteWrites(current: StoredComment, options: { placeholder: boolean; at: string }): WriteItem[] {
  const ref = { siteId: current.siteId, threadId: current.threadId, commentId: current.id };
  const writes: WriteItem[] = options.placeholder
    ? replaceWrites(current, { ...erasedCommentItem(current), deleted: true, deletedAt: options.at, history: [] })
    : [{ Delete: { Key: { pk: commentToItem(current).pk, sk: commentToItem(current).sk }, ...unchangedSince(current) } }, deletedMarkerPut(ref, options.at)];
  if (current.status === "published") {
    writes.push(...(options.placeholder ? [copyUpdate(placed(current), { set: placeholderCopy })] : unpublishWrites(placed(current))), leavesThread(current));
  }
  return writes;
}
