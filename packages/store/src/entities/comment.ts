import type { CommentRevision, CommentStatus, FlagReason, StoredComment } from "@comments/core";
import { itemHeader, optionalString, type Item, type WriteItem } from "./item.ts";
import { pageRootPrefix } from "./page.ts";
import { threadPartition } from "./thread.ts";

/**
 * Comment items, in their thread's partition: the whole record of a comment, published ones at `M#<id>`,
 * hidden ones (pending, rejected, spam) at `H#<id>`; neither is read by a thread page (see `page.ts` for the
 * public copy a page reads). Before the page items existed, published comments sat at `C#<id>`. A comment awaiting a decision also sits in
 * the queue index (`gsi1`: `Q#<site>` / `<queuedAt>#<id>`); every comment with an author sits in the author
 * index (`gsi2`: `A#<site>#<author>` / `<id>`).
 */

interface CommentRef {
  siteId: string;
  threadId: string;
  commentId: string;
}

/** Sort-key prefixes of comments in their thread's partition. */
export const commentSortPrefixes = { published: "M#", hidden: "H#" } as const;

/** Where published comment items sat before the page items existed (read only by the layout migration). */
export const legacyPublishedPrefix = pageRootPrefix;

/** The key of a published comment. */
export const publishedCommentKey = (ref: CommentRef) => ({ pk: threadPartition(ref), sk: `${commentSortPrefixes.published}${ref.commentId}` });

/** The key of a hidden (pending, rejected or spam) comment. */
export const hiddenCommentKey = (ref: CommentRef) => ({ pk: threadPartition(ref), sk: `${commentSortPrefixes.hidden}${ref.commentId}` });

/** True for a published comment item. */
export const isPublishedItem = (item: Item) => typeof item.sk === "string" && item.sk.startsWith(commentSortPrefixes.published);

/** True for a comment item (published or hidden) among the items of a thread partition. */
export const isCommentItem = (item: Item) => isPublishedItem(item) || (typeof item.sk === "string" && item.sk.startsWith(commentSortPrefixes.hidden));

/** The queue index partition of a site (items awaiting a decision, oldest first). */
export const queuePartition = ({ siteId }: { siteId: string }) => `Q#${siteId}`;

/** The queue index attributes of a comment queued at `queuedAt`. */
export const queueIndexKey = (input: { siteId: string; queuedAt: string; commentId: string }) => ({
  gsi1pk: queuePartition(input),
  gsi1sk: `${input.queuedAt}#${input.commentId}`,
});

/** The site-timeline index partition (`gsi5`): a site's published comments, by id (= time). */
export const siteTimelinePartition = ({ siteId }: { siteId: string }) => `W#${siteId}`;

/** The site-timeline index attributes of a published comment. */
export const siteTimelineKey = (input: { siteId: string; commentId: string }) => ({ gsi5pk: siteTimelinePartition(input), gsi5sk: input.commentId });

/** The author index partition of an author on a site. */
export const authorCommentsPartition = ({ siteId, authorHash }: { siteId: string; authorHash: string }) => `A#${siteId}#${authorHash}`;

const flagReasons: readonly FlagReason[] = ["spam", "abuse", "off_topic", "other"];

/** Attribute holding the count of flags given for `reason` (top-level, so `ADD` works on it). */
export const flagReasonAttribute = (reason: FlagReason) => `fr_${reason}`;

/** The table item for a comment: published comments sit in the thread's page range, others outside it. */
export function commentToItem(comment: StoredComment): Item {
  const ref = { siteId: comment.siteId, threadId: comment.threadId, commentId: comment.id };
  const item: Item = {
    ...(comment.status === "published" ? publishedCommentKey(ref) : hiddenCommentKey(ref)),
    ...itemHeader("comment"),
    gsi2pk: authorCommentsPartition(comment),
    gsi2sk: comment.id,
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
    authorVerified: comment.authorVerified === true,
    authorBadge: comment.authorBadge ?? null,
    authorAvatar: comment.authorAvatar ?? null,
    editTokenHash: comment.editTokenHash ?? null,
    editedAt: comment.editedAt ?? null,
    edits: comment.edits ?? 0,
    history: comment.history ?? [],
    pageUrl: comment.page?.url ?? null,
    pageTitle: comment.page?.title ?? null,
    rootId: comment.rootId ?? null,
    likes: comment.likes ?? 0,
    placement: comment.placement ?? null,
    featuredAt: comment.featuredAt ?? null,
  };
  if (comment.deleted) item.deleted = true;
  // Only published comments sit in the site timeline (permalinks and the site feed read nothing else).
  if (comment.status === "published") Object.assign(item, siteTimelineKey({ siteId: comment.siteId, commentId: comment.id }));
  for (const reason of flagReasons) {
    const count = comment.flagReasons[reason];
    if (count) item[flagReasonAttribute(reason)] = count;
  }
  if (comment.queuedAt !== null) Object.assign(item, queueIndexKey({ ...ref, queuedAt: comment.queuedAt }));
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
    parentId: optionalString(item.parentId),
    authorName: String(item.authorName),
    authorEmail: optionalString(item.authorEmail),
    authorUrl: optionalString(item.authorUrl),
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
    queuedAt: optionalString(item.queuedAt),
    decidedBy: optionalString(item.decidedBy),
    authorVerified: item.authorVerified === true,
    authorBadge: item.authorBadge === "staff" ? "staff" : null,
    authorAvatar: optionalString(item.authorAvatar),
    editTokenHash: optionalString(item.editTokenHash),
    editedAt: optionalString(item.editedAt),
    edits: typeof item.edits === "number" ? item.edits : 0,
    history: Array.isArray(item.history) ? (item.history as CommentRevision[]) : [],
    ...(item.deleted === true ? { deleted: true } : {}),
    page: typeof item.pageUrl === "string" ? { url: item.pageUrl, title: optionalString(item.pageTitle) } : null,
    ...(item.rootId === undefined ? {} : { rootId: optionalString(item.rootId) }),
    likes: typeof item.likes === "number" ? item.likes : 0,
    placement: (optionalString(item.placement) as StoredComment["placement"]) ?? null,
    featuredAt: optionalString(item.featuredAt),
  };
}

/** The put of a new comment (ids are random: an existing item with this id is our own earlier attempt). */
export const newCommentPut = (comment: StoredComment): WriteItem => ({
  Put: { Item: commentToItem(comment), ConditionExpression: "attribute_not_exists(pk)" },
});

/** Checks that a reply's parent is a published comment of the thread. */
export const publishedParentCheck = (ref: CommentRef): WriteItem => ({
  ConditionCheck: { Key: publishedCommentKey(ref), ConditionExpression: "attribute_exists(pk)" },
});

/**
 * The writes of a decision on a comment still awaiting one (status `from` and in the queue, or the
 * transaction fails): a move between the published and hidden ranges when the decision crosses that line,
 * else a put in place. The first item always carries the condition. `mustBeQueued: false` (a ban's purge)
 * only asks that the status is still `from`.
 */
export function decisionWrites(current: StoredComment, next: Item, options: { mustBeQueued?: boolean } = {}): WriteItem[] {
  // Also unedited since it was read: a decision never overwrites a body its moderator has not seen.
  const unedited = "(attribute_not_exists(edits) OR edits = :edits)";
  const stillQueued = {
    ConditionExpression: options.mustBeQueued === false ? `#status = :from AND ${unedited}` : `#status = :from AND attribute_exists(gsi1pk) AND ${unedited}`,
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":from": current.status, ":edits": current.edits ?? 0 },
  };
  const old = commentToItem(current);
  if (old.sk === next.sk) return [{ Put: { Item: next, ...stillQueued } }];
  return [{ Delete: { Key: { pk: old.pk, sk: old.sk }, ...stillQueued } }, { Put: { Item: next } }];
}

/** Counts one more flag for `reason` on a published comment (fails when it is not published). */
export const flagCountIncrement = (ref: CommentRef & { reason: FlagReason }): WriteItem => ({
  Update: {
    Key: publishedCommentKey(ref),
    UpdateExpression: "ADD flags :one, #reason :one",
    ConditionExpression: "attribute_exists(pk) AND #status = :published",
    ExpressionAttributeNames: { "#reason": flagReasonAttribute(ref.reason), "#status": "status" },
    ExpressionAttributeValues: { ":one": 1, ":published": "published" },
  },
});

/** The update that puts a published comment in the queue once `threshold` readers flagged it (once only). */
export function queueForFlags(ref: CommentRef & { threshold: number; at: string }) {
  const queue = queueIndexKey({ ...ref, queuedAt: ref.at });
  return {
    Key: publishedCommentKey(ref),
    UpdateExpression:
      "SET gsi1pk = :qpk, gsi1sk = :qsk, queuedAt = :at, reasons = list_append(if_not_exists(reasons, :empty), :reason), details = list_append(if_not_exists(details, :empty), :detail)",
    ConditionExpression: "flags >= :threshold AND attribute_not_exists(gsi1pk) AND #status = :published",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: {
      ":qpk": queue.gsi1pk,
      ":qsk": queue.gsi1sk,
      ":at": ref.at,
      ":empty": [],
      ":reason": ["reader_flags"],
      ":detail": [`flagged by ${ref.threshold} or more readers`],
      ":threshold": ref.threshold,
      ":published": "published",
    },
    ReturnValues: "ALL_NEW" as const,
  };
}

/** The name an erased comment shows instead of its author's. */
export const erasedAuthorName = "[deleted]";
/** The body an erased comment shows instead of its text. */
export const erasedBodyHtml = "<p><em>[deleted]</em></p>";

/** The item an erased comment leaves behind: same place in its thread, no personal data, no author index entry. */
export function erasedCommentItem(comment: StoredComment, at?: string): Item {
  const item = commentToItem({
    ...comment,
    authorName: erasedAuthorName,
    authorEmail: null,
    authorUrl: null,
    authorHash: "",
    ipHash: "",
    body: "",
    bodyHtml: erasedBodyHtml,
    details: [],
    captchaScore: null,
    authorVerified: false,
    authorBadge: null,
    authorAvatar: null,
    editTokenHash: null,
    history: [],
    // Nothing is left to decide about: an erased comment leaves the moderation queue.
    queuedAt: null,
  });
  delete item.gsi2pk;
  delete item.gsi2sk;
  // An erased comment has no permalink and leaves the feeds' site timeline.
  delete item.gsi5pk;
  delete item.gsi5sk;
  return at === undefined ? item : { ...item, erasedAt: at };
}

/** True for the placeholder of an erased comment. */
export const isErased = (comment: StoredComment) => comment.authorHash === "" && comment.bodyHtml === erasedBodyHtml;

/** Replaces a comment by its erased placeholder, unless it changed since it was read. */
export const erasurePut = (comment: StoredComment, at: string): WriteItem => ({
  Put: {
    Item: erasedCommentItem(comment, at),
    ConditionExpression: "#status = :status AND authorHash = :hash",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":status": comment.status, ":hash": comment.authorHash },
  },
});
