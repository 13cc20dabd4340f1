import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredComment } from "@comments/core";
import { commentSortPrefixes, isErased, itemToComment, legacyPublishedPrefix, publishedCommentKey, siteTimelineKey } from "../entities/comment.ts";
import type { Item } from "../entities/item.ts";
import { isOutsideReply, isPageRoot, maxInlineReplies, outsideReplyItem, pageRootItem } from "../entities/page.ts";
import { isThreadItem, threadPartition } from "../entities/thread.ts";
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

/**
 * The root of every comment: the top of its parent chain within the thread (a missing parent ends the chain).
 * Each chain is walked once: the roots found on the way are remembered, so a long chain costs its length, not
 * its length squared.
 */
function rootsOf(comments: Map<string, StoredComment>): Map<string, string> {
  const roots = new Map<string, string>();
  for (const comment of comments.values()) {
    const chain: StoredComment[] = [];
    let top = comment;
    let root: string | undefined;
    for (let depth = 0; depth < 1000; depth++) {
      root = roots.get(top.id);
      if (root !== undefined) break;
      chain.push(top);
      const parent = top.parentId === null ? undefined : comments.get(top.parentId);
      if (!parent) break;
      top = parent;
    }
    root ??= top.id;
    for (const link of chain) roots.set(link.id, root);
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

/** A layout pass and what it leaves behind, for a recount that need not read the partition again. */
export interface LayoutPass extends LayoutResult {
  /** The thread item as the pass read it (the pass never writes it). */
  threadItem: Item | undefined;
  /** Every comment record of the thread as the pass left it. */
  commentRecords: Item[];
}

/** BatchWriteItem calls sent at the same time (a few: enough to keep the store busy, not enough to throttle it). */
const parallelBatches = 4;

const byId = (a: StoredComment, b: StoredComment) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Rebuilds a thread's page items from its comment items (access pattern 16): comment items still in the old
 * published range `C#` move to `M#`, every comment learns its root and where its copy lives, published ones get
 * their site-timeline keys when they lack them (comments of the old layout), each root gets its page item with
 * its first 50 replies, later replies their own items, and page items nobody needs go. Only what differs is
 * written. Idempotent: a second pass over the same thread writes nothing. Meant for imports and the one-off
 * layout migration (comments posted during a pass are picked up by the next one).
 */
export async function relayoutThread(ctx: StoreContext, ref: { siteId: string; threadId: string }): Promise<LayoutResult> {
  const { commentsRewritten, pageItemsChanged } = await layoutPass(ctx, ref);
  return { commentsRewritten, pageItemsChanged };
}

/** {@link relayoutThread}, also returning the thread item read and the comment records as left. */
export async function layoutPass(ctx: StoreContext, ref: { siteId: string; threadId: string }): Promise<LayoutPass> {
  const items = await queryPartition(ctx, "relayoutThread", threadPartition(ref));
  const records = items.filter((item) => isCommentRecord(item) || isLegacyComment(item));
  const comments = new Map(records.map((item) => [String(item.id), itemToComment(item)]));
  const roots = rootsOf(comments);
  const ordered = [...comments.values()].sort(byId);

  const placed = new Map<string, StoredComment>();
  const repliesByRoot = new Map<string, StoredComment[]>();
  const publishedRoots: string[] = [];
  for (const comment of ordered) {
    const rootId = roots.get(comment.id) ?? comment.id;
    const isRoot = rootId === comment.id;
    placed.set(comment.id, { ...comment, rootId: isRoot ? null : rootId, placement: comment.status === "published" ? (isRoot ? "root" : "outside") : null });
    if (comment.status !== "published") continue;
    if (isRoot) {
      publishedRoots.push(comment.id);
      continue;
    }
    // Pushed in place: copying the list for every reply made a root with many replies cost their number squared.
    const replies = repliesByRoot.get(rootId);
    if (replies) replies.push(comment);
    else repliesByRoot.set(rootId, [comment]);
  }
  const pageItems: Item[] = [];
  const pages: [string, StoredComment[]][] = [...repliesByRoot.entries(), ...publishedRoots.filter((id) => !repliesByRoot.has(id)).map((id) => [id, []] as [string, StoredComment[]])];
  for (const [rootId, replies] of pages) {
    const root = placed.get(rootId);
    if (!root) continue;
    const inline = replies.slice(0, maxInlineReplies).map((reply) => ({ ...placed.get(reply.id)!, placement: "inline" as const }));
    for (const reply of inline) placed.set(reply.id, reply);
    pageItems.push(pageRootItem(root, { inline, total: replies.length, hidden: root.status !== "published" }));
    for (const reply of replies.slice(maxInlineReplies)) pageItems.push(outsideReplyItem({ ...reply, rootId }));
  }

  const byKey = new Map(items.map((item) => [String(item.sk), item]));
  const recordPuts: Item[] = [];
  const pagePuts: Item[] = [];
  const deletes: Item[] = [];
  const commentRecords: Item[] = [];
  let commentsRewritten = 0;
  for (const record of records) {
    const comment = placed.get(String(record.id))!;
    const legacy = isLegacyComment(record);
    // Published comments of the old layout lack their site-timeline keys (permalinks and feeds read them).
    const timeline = comment.status === "published" && !isErased(comment) ? siteTimelineKey({ siteId: comment.siteId, commentId: comment.id }) : null;
    const timelineMissing = timeline !== null && (record.gsi5pk !== timeline.gsi5pk || record.gsi5sk !== timeline.gsi5sk);
    // The record is copied as it is (attributes this module does not know survive); only its place changes.
    const next: Item = {
      ...record,
      ...(legacy ? publishedCommentKey({ siteId: comment.siteId, threadId: comment.threadId, commentId: comment.id }) : {}),
      ...(timeline ?? {}),
      rootId: comment.rootId,
      placement: comment.placement,
    };
    if (legacy || timelineMissing || record.rootId !== next.rootId || record.placement !== next.placement) {
      recordPuts.push(next);
      commentsRewritten++;
    }
    commentRecords.push(next);
  }
  const wanted = new Set(pageItems.map((item) => String(item.sk)));
  let pageItemsChanged = 0;
  for (const item of pageItems) {
    if (!sameItem(byKey.get(String(item.sk)), item)) {
      pagePuts.push(item);
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
  // Comment records first, then page copies (a root's copy takes the old record's key), then what is left over:
  // each group is written whole before the next starts, so a pass cut short never loses a comment.
  await batchWrite(ctx, recordPuts.map((item) => ({ PutRequest: { Item: item } })));
  await batchWrite(ctx, pagePuts.map((item) => ({ PutRequest: { Item: item } })));
  await batchWrite(ctx, deletes.map((key) => ({ DeleteRequest: { Key: key } })));
  return { commentsRewritten, pageItemsChanged, threadItem: items.find(isThreadItem), commentRecords };
}

/** BatchWriteItem of any number of requests: batches of 25, {@link parallelBatches} at a time, unprocessed ones retried. */
async function batchWrite(ctx: StoreContext, requests: Item[]): Promise<void> {
  const batches: Item[][] = [];
  for (let start = 0; start < requests.length; start += 25) batches.push(requests.slice(start, start + 25));
  let next = 0;
  const worker = async () => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      await untilProcessed(batch, async (pending) => {
        const result = await ctx.send("relayoutThread", new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending as never } }));
        return (result.UnprocessedItems?.[ctx.tableName] as Item[] | undefined) ?? [];
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelBatches, batches.length) }, worker));
}
