import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredComment } from "@comments/core";
import { commentSortPrefixes, itemToComment, legacyPublishedPrefix, publishedCommentKey } from "../entities/comment.ts";
import type { Item } from "../entities/item.ts";
import { isOutsideReply, isPageRoot, maxInlineReplies, outsideReplyItem, pageRootItem } from "../entities/page.ts";
import { threadPartition } from "../entities/thread.ts";
import { untilProcessed } from "../failures.ts";
import type { StoreContext } from "../send.ts";
import { queryPartition } from "./bulk-reads.ts";

/** What a layout pass changed in one thread. */
export interface LayoutResult {
  /** Comment items moved from the old published range (`C#`) or given their root and placement. */
  commentsRewritten: number;
  /** Page items written or deleted. */
  pageItemsChanged: number;
}

const isLegacyComment = (item: Item) => String(item.sk).startsWith(legacyPublishedPrefix) && !isPageRoot(item) && typeof item.status === "string";
const isCommentRecord = (item: Item) =>
  (String(item.sk).startsWith(commentSortPrefixes.published) || String(item.sk).startsWith(commentSortPrefixes.hidden)) && typeof item.status === "string";

/** The root of every comment: the top of its parent chain within the thread (a missing parent ends the chain). */
function rootsOf(comments: Map<string, StoredComment>): Map<string, string> {
  const roots = new Map<string, string>();
  for (const comment of comments.values()) {
    let top = comment;
    for (let depth = 0; top.parentId !== null && depth < 1000; depth++) {
      const parent = comments.get(top.parentId);
      if (!parent) break;
      top = parent;
    }
    roots.set(comment.id, top.id);
  }
  return roots;
}

/** Compares the attributes of two items (key order aside). */
const sameItem = (a: Item | undefined, b: Item) => a !== undefined && JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}

/**
 * Rebuilds a thread's page items from its comment items (access pattern 16): comment items still in the old
 * published range `C#` move to `M#`, every comment learns its root and where its copy lives, each root gets its
 * page item with its first 50 replies, later replies their own items, and page items nobody needs go.
 * Idempotent: a second pass over the same thread writes nothing. Meant for imports and the one-off layout
 * migration (comments posted during a pass are picked up by the next one).
 */
export async function relayoutThread(ctx: StoreContext, ref: { siteId: string; threadId: string }): Promise<LayoutResult> {
  const items = await queryPartition(ctx, "relayoutThread", threadPartition(ref));
  const records = items.filter((item) => isCommentRecord(item) || isLegacyComment(item));
  const comments = new Map(records.map((item) => [String(item.id), itemToComment(item)]));
  const roots = rootsOf(comments);
  const published = [...comments.values()].filter((c) => c.status === "published").sort((a, b) => (a.id < b.id ? -1 : 1));

  const placed = new Map<string, StoredComment>();
  const repliesByRoot = new Map<string, StoredComment[]>();
  for (const comment of [...comments.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const rootId = roots.get(comment.id) ?? comment.id;
    const isRoot = rootId === comment.id;
    placed.set(comment.id, { ...comment, rootId: isRoot ? null : rootId, placement: comment.status === "published" ? (isRoot ? "root" : "outside") : null });
  }
  for (const comment of published) {
    const rootId = placed.get(comment.id)?.rootId;
    if (rootId) repliesByRoot.set(rootId, [...(repliesByRoot.get(rootId) ?? []), comment]);
  }
  const pageItems: Item[] = [];
  for (const [rootId, replies] of [...repliesByRoot.entries(), ...published.filter((c) => !repliesByRoot.has(c.id) && placed.get(c.id)?.rootId === null).map((c) => [c.id, []] as const)]) {
    const root = placed.get(rootId);
    if (!root) continue;
    const inline = replies.slice(0, maxInlineReplies).map((reply) => ({ ...placed.get(reply.id)!, placement: "inline" as const }));
    for (const reply of inline) placed.set(reply.id, reply);
    pageItems.push(pageRootItem(root, { inline, total: replies.length, hidden: root.status !== "published" }));
    for (const reply of replies.slice(maxInlineReplies)) pageItems.push(outsideReplyItem({ ...reply, rootId }));
  }

  const byKey = new Map(items.map((item) => [`${String(item.sk)}`, item]));
  const puts: Item[] = [];
  const deletes: Item[] = [];
  let commentsRewritten = 0;
  for (const record of records) {
    const comment = placed.get(String(record.id))!;
    // The record is copied as it is (attributes this module does not know survive); only its place changes.
    const next: Item = { ...record, ...(isLegacyComment(record) ? publishedCommentKey({ siteId: comment.siteId, threadId: comment.threadId, commentId: comment.id }) : {}), rootId: comment.rootId, placement: comment.placement };
    if (isLegacyComment(record) || record.rootId !== next.rootId || record.placement !== next.placement) {
      puts.push(next);
      commentsRewritten++;
    }
  }
  const wanted = new Set(pageItems.map((item) => String(item.sk)));
  let pageItemsChanged = 0;
  for (const item of pageItems) {
    if (!sameItem(byKey.get(String(item.sk)), item)) {
      puts.push(item);
      pageItemsChanged++;
    }
  }
  for (const item of items) {
    const stale = (isPageRoot(item) || isOutsideReply(item) || isLegacyComment(item)) && !wanted.has(String(item.sk));
    if (stale) {
      deletes.push({ pk: item.pk, sk: item.sk });
      if (!isLegacyComment(item)) pageItemsChanged++;
    }
  }
  // Comment records first, then page copies (a root's copy takes the old record's key), then what is left over.
  await batchWrite(ctx, puts.map((item) => ({ PutRequest: { Item: item } })));
  await batchWrite(ctx, deletes.map((key) => ({ DeleteRequest: { Key: key } })));
  return { commentsRewritten, pageItemsChanged };
}

async function batchWrite(ctx: StoreContext, requests: Item[]): Promise<void> {
  for (let start = 0; start < requests.length; start += 25) {
    await untilProcessed(requests.slice(start, start + 25), async (pending) => {
      const result = await ctx.send("relayoutThread", new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending as never } }));
      return (result.UnprocessedItems?.[ctx.tableName] as Item[] | undefined) ?? [];
    });
  }
}
