import type { PublicComment, StoredComment } from "@comments/core";
import { itemHeader, optionalString, type Item, type WriteItem } from "./item.ts";
import { threadPartition } from "./thread.ts";

/**
 * Page items: the public copy of published comments that thread pages read, and nothing else (see `table.ts`).
 * A page root (`C#<rootId>`) holds a top-level comment and the first {@link maxInlineReplies} replies of its
 * sub-thread (map `r`); later replies get their own item (`P#<rootId>#<replyId>`), outside the page range.
 * Attribute names are short on purpose: a page pays for every byte of every item it reads.
 */

/** Replies kept inside their root's page item; the rest are read by the replies route. */
export const maxInlineReplies = 50;

/** Sort-key prefix of page roots (the thread item is `C`: a page's range is `C` … `C$`). */
export const pageRootPrefix = "C#";
const outsidePrefix = "P#";

interface ThreadRef {
  siteId: string;
  threadId: string;
}

/** The key of a root's page item. */
export const pageRootKey = (ref: ThreadRef & { rootId: string }) => ({ pk: threadPartition(ref), sk: `${pageRootPrefix}${ref.rootId}` });

/** The key of a reply kept outside its root's page item. */
export const outsideReplyKey = (ref: ThreadRef & { rootId: string; replyId: string }) => ({
  pk: threadPartition(ref),
  sk: `${outsidePrefix}${ref.rootId}#${ref.replyId}`,
});

/** The sort-key prefix of a root's outside replies (oldest first). */
export const outsideRepliesPrefix = (rootId: string) => `${outsidePrefix}${rootId}#`;

/** The top order's key of a root: most likes first, then oldest (ascending). */
export const topSortKey = (likes: number, rootId: string) => `${String(999_999_999 - Math.min(Math.max(likes, 0), 999_999_999)).padStart(9, "0")}#${rootId}`;

/** True for a page root among items read from a thread partition. */
export const isPageRoot = (item: Item) => item.type === "pageRoot";

/** True for a reply's outside page item. */
export const isOutsideReply = (item: Item) => item.type === "pageReply";

/** The root id of a page root or outside reply item. */
export const pageItemRootId = (item: Item) => String(item.sk).slice(2).split("#")[0] ?? "";

/** The public fields of a comment, as page items keep them (null and 0 left out). */
export function publicFields(comment: StoredComment): Item {
  const fields: Item = { i: comment.id, a: comment.authorName, h: comment.bodyHtml, t: comment.createdAt };
  if (comment.parentId !== null) fields.p = comment.parentId;
  if (comment.authorUrl !== null) fields.u = comment.authorUrl;
  if (comment.likes) fields.l = comment.likes;
  // What sign-in and editing add (left out for guests and unedited comments).
  if (comment.authorVerified) fields.v = true;
  if (comment.authorBadge) fields.b = comment.authorBadge;
  if (comment.authorAvatar) fields.av = comment.authorAvatar;
  if (comment.editedAt) fields.e = comment.editedAt;
  if (comment.deleted) fields.d = true;
  return fields;
}

/** Reads public fields back as the API's Comment. */
export function fieldsToPublic(fields: Item, threadId: string): PublicComment {
  return {
    id: String(fields.i),
    threadId,
    parentId: optionalString(fields.p),
    author: {
      name: String(fields.a),
      url: optionalString(fields.u),
      verified: fields.v === true,
      badge: fields.b === "staff" ? "staff" : null,
      avatar: optionalString(fields.av),
    },
    bodyHtml: String(fields.h),
    createdAt: String(fields.t),
    editedAt: optionalString(fields.e),
    ...(fields.d === true ? { deleted: true as const } : {}),
    likes: typeof fields.l === "number" ? fields.l : 0,
  };
}

/** The page item of a top-level comment (with the replies given, for rebuilds). */
export function pageRootItem(root: StoredComment, replies: { inline: StoredComment[]; total: number; hidden?: boolean } = { inline: [], total: 0 }): Item {
  const item: Item = {
    ...pageRootKey({ ...root, rootId: root.id }),
    ...itemHeader("pageRoot"),
    ...publicFields(root),
    r: Object.fromEntries(replies.inline.map((reply) => [reply.id, publicFields(reply)])),
    gsi3sk: root.id,
    gsi4sk: topSortKey(root.likes ?? 0, root.id),
  };
  if (replies.total > 0) item.rn = replies.total;
  if (replies.inline.length > 0) item.ri = replies.inline.length;
  if (replies.hidden) item.x = true;
  return item;
}

/** The page item of a reply kept outside its root's item. */
export function outsideReplyItem(reply: StoredComment & { rootId: string }): Item {
  return { ...outsideReplyKey({ ...reply, replyId: reply.id }), ...itemHeader("pageReply"), ...publicFields(reply) };
}

/** The thread page's comments from page roots in page order: each shown root, then its inline replies oldest first. */
export function pageRootsToComments(roots: Item[], threadId: string): PublicComment[] {
  const comments: PublicComment[] = [];
  for (const root of roots) {
    const replies = Object.values((root.r as Record<string, Item> | undefined) ?? {}).sort((a, b) => (String(a.i) < String(b.i) ? -1 : 1));
    const more = (typeof root.rn === "number" ? root.rn : 0) - replies.length;
    if (root.x !== true) comments.push({ ...fieldsToPublic(root, threadId), ...(more > 0 ? { moreReplies: more } : {}) });
    for (const reply of replies) comments.push(fieldsToPublic(reply, threadId));
  }
  return comments;
}

type Placed = StoredComment & { rootId: string | null };

/** Where a published comment's copy goes when it enters the published set (`inline` when its root has room). */
export function publishWrites(comment: Placed, placement: "root" | "inline" | "outside"): WriteItem[] {
  if (placement === "root" || comment.rootId === null) {
    return [{ Put: { Item: pageRootItem(comment), ConditionExpression: "attribute_not_exists(pk)" } }];
  }
  const root = pageRootKey({ ...comment, rootId: comment.rootId });
  if (placement === "inline") {
    return [
      {
        Update: {
          Key: root,
          UpdateExpression: "SET r.#id = :reply, rn = if_not_exists(rn, :zero) + :one, ri = if_not_exists(ri, :zero) + :one",
          ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(ri) OR ri < :max)",
          ExpressionAttributeNames: { "#id": comment.id },
          ExpressionAttributeValues: { ":reply": publicFields(comment), ":zero": 0, ":one": 1, ":max": maxInlineReplies },
        },
      },
    ];
  }
  return [
    { Put: { Item: outsideReplyItem({ ...comment, rootId: comment.rootId }) } },
    { Update: { Key: root, UpdateExpression: "ADD rn :one", ConditionExpression: "attribute_exists(pk)", ExpressionAttributeValues: { ":one": 1 } } },
  ];
}

/** The writes that take a comment's copy off the page (a root stays, marked `x`, for the replies it keeps). */
export function unpublishWrites(comment: Placed): WriteItem[] {
  if (comment.placement === "root" || comment.rootId === null) {
    return [{ Update: { Key: pageRootKey({ ...comment, rootId: comment.id }), UpdateExpression: "SET x = :true", ExpressionAttributeValues: { ":true": true } } }];
  }
  const root = pageRootKey({ ...comment, rootId: comment.rootId });
  const lower = { Update: { Key: root, UpdateExpression: "ADD rn :minus", ExpressionAttributeValues: { ":minus": -1 } } };
  if (comment.placement === "inline") {
    return [{ Update: { ...lower.Update, UpdateExpression: "REMOVE r.#id ADD rn :minus", ExpressionAttributeNames: { "#id": comment.id } } }];
  }
  return [{ Delete: { Key: outsideReplyKey({ ...comment, rootId: comment.rootId, replyId: comment.id }) } }, lower];
}

/**
 * An update of a published comment's copy: `set` maps short field names to values; `likes` also moves a
 * root in the top order. The copy must exist (the comment is published).
 */
export function copyUpdate(comment: Placed, change: { set: Item }): WriteItem {
  const names: Record<string, string> = {};
  const values: Item = {};
  const clauses: string[] = [];
  const inline = comment.placement === "inline" && comment.rootId !== null;
  if (inline) names["#id"] = comment.id;
  for (const [field, value] of Object.entries(change.set)) {
    const path = inline ? `r.#id.#f_${field}` : `#f_${field}`;
    names[`#f_${field}`] = field;
    if (value === null) {
      clauses.push(`REMOVE ${path}`);
      continue;
    }
    values[`:v_${field}`] = value;
    clauses.push(`SET ${path} = :v_${field}`);
  }
  if (!inline && change.set.l !== undefined && (comment.placement === "root" || comment.rootId === null)) {
    values[":top"] = topSortKey(Number(change.set.l ?? 0), comment.id);
    clauses.push("SET gsi4sk = :top");
  }
  const key =
    comment.rootId === null || comment.placement === "root"
      ? pageRootKey({ ...comment, rootId: comment.id })
      : inline
        ? pageRootKey({ ...comment, rootId: comment.rootId })
        : outsideReplyKey({ ...comment, rootId: comment.rootId, replyId: comment.id });
  const sets = clauses.filter((c) => c.startsWith("SET ")).map((c) => c.slice(4));
  const removes = clauses.filter((c) => c.startsWith("REMOVE ")).map((c) => c.slice(7));
  return {
    Update: {
      Key: key,
      UpdateExpression: [sets.length ? `SET ${sets.join(", ")}` : "", removes.length ? `REMOVE ${removes.join(", ")}` : ""].filter(Boolean).join(" "),
      ConditionExpression: inline ? "attribute_exists(r.#id)" : "attribute_exists(pk)",
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
}
