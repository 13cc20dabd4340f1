import { BatchGetCommand, GetCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { AppError, type PublicComment, type ThreadSort } from "@comments/core";
import { itemToComment, publishedCommentKey } from "../entities/comment.ts";
import type { Item } from "../entities/item.ts";
import { fieldsToPublic, outsideRepliesPrefix, pageRootKey, pageRootsToComments, topSortKey } from "../entities/page.ts";
import { isThreadItem, itemToThread, threadKey, threadPageRange, threadPartition, type ThreadRecord } from "../entities/thread.ts";
import type { StoreContext } from "../send.ts";
import { indexNames } from "../table.ts";

/** Where a later page starts: after the root `rootId` (and, for `top`, its top key when that page was read). */
export interface PagePosition {
  sort: ThreadSort;
  rootId: string;
  topKey?: string;
}

/** One page of a thread. */
export interface ThreadPage {
  thread: ThreadRecord;
  comments: PublicComment[];
  /** The featured comments (first pages and `around` pages; null on later pages). */
  featured: PublicComment[] | null;
  next: PagePosition | null;
}

const maxRepliesPage = 50;

/** Thread pages in each order (patterns 1, 1b, 1c of `table.ts`). */
export function pageAccess(ctx: StoreContext) {
  const { tableName } = ctx;

  /** The Query of a page of roots in `sort` order, from its head or from/after a position. */
  function rootsQuery(pk: string, sort: ThreadSort, limit: number, from: { after?: PagePosition; at?: { rootId: string; topKey: string } }): QueryCommandInput {
    const base = { TableName: tableName, ExpressionAttributeValues: { ":pk": pk } as Item };
    const startKey = (position: PagePosition): Item => {
      const key = pageRootKey({ siteId: "", threadId: "", rootId: position.rootId });
      const sk = key.sk;
      if (sort === "oldest") return { pk, sk };
      if (sort === "newest") return { pk, sk, gsi3sk: position.rootId };
      return { pk, sk, gsi4sk: position.topKey ?? topSortKey(0, position.rootId) };
    };
    const head = from.after || from.at ? 1 : 2; // the thread item heads a first page
    const query: QueryCommandInput = { ...base, Limit: limit + head - 1 + 1 };
    if (sort === "oldest") {
      const start = from.at ? pageRootKey({ siteId: "", threadId: "", rootId: from.at.rootId }).sk : threadPageRange.from;
      Object.assign(query, { KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to" });
      Object.assign(query.ExpressionAttributeValues!, { ":from": start, ":to": threadPageRange.to });
    } else if (sort === "newest") {
      Object.assign(query, { IndexName: indexNames.newest, ScanIndexForward: false, KeyConditionExpression: from.at ? "pk = :pk AND gsi3sk <= :at" : "pk = :pk" });
      if (from.at) query.ExpressionAttributeValues![":at"] = from.at.rootId;
    } else {
      Object.assign(query, { IndexName: indexNames.top, KeyConditionExpression: from.at ? "pk = :pk AND gsi4sk >= :at" : "pk = :pk" });
      if (from.at) query.ExpressionAttributeValues![":at"] = from.at.topKey;
    }
    if (from.after) query.ExclusiveStartKey = startKey(from.after);
    return query;
  }

  /** Runs a roots Query and shapes its answer; `thread` is the thread item when read apart. */
  async function runPage(ref: { siteId: string; threadId: string }, sort: ThreadSort, limit: number, query: QueryCommandInput, thread: Promise<Item | undefined> | null) {
    const [result, threadItem] = await Promise.all([ctx.send("readThreadPage", new QueryCommand(query)), thread ?? Promise.resolve(undefined)]);
    const items = result.Items ?? [];
    const head = thread === null ? items.find(isThreadItem) : threadItem;
    const roots = items.filter((item) => !isThreadItem(item));
    const shown = roots.slice(0, limit);
    const last = shown.at(-1);
    const next: PagePosition | null =
      roots.length > limit && last ? { sort, rootId: String(last.gsi3sk), ...(sort === "top" ? { topKey: String(last.gsi4sk) } : {}) } : null;
    const record = itemToThread(head, ref);
    return { thread: record, comments: pageRootsToComments(shown, ref.threadId), next, featuredFrom: record };
  }

  const featuredOf = (thread: ThreadRecord): PublicComment[] => thread.featured.slice(0, 3).map((fields) => fieldsToPublic(fields, thread.threadId));

  return {
    /**
     * One page of a thread in `sort` order: top-level comments, each followed by its published replies
     * (at most 50; `moreReplies` counts the rest), `limit` counting top-level comments. First page: ONE Query
     * (the thread item heads every order). Later pages: the Query and a GetItem of the thread item, in parallel.
     */
    async readThreadPage(siteId: string, threadId: string, page: { sort: ThreadSort; limit: number; after: PagePosition | null }): Promise<ThreadPage> {
      const ref = { siteId, threadId };
      const pk = threadPartition(ref);
      const after = page.after ?? undefined;
      const threadRead = after ? ctx.send("readThreadPage", new GetCommand({ TableName: tableName, Key: threadKey(ref) })).then((r) => r.Item) : null;
      const result = await runPage(ref, page.sort, page.limit, rootsQuery(pk, page.sort, page.limit, { after }), threadRead);
      return { thread: result.thread, comments: result.comments, next: result.next, featured: after ? null : featuredOf(result.thread) };
    },

    /**
     * The page that holds a published comment (deep links): ONE BatchGetItem of the thread item and the
     * comment item, then the Query starting at the comment's root. `sort=top` for a reply reads the root first
     * (one more call). Unknown or unpublished comment: `404 comment_not_found`.
     */
    async readPageAround(siteId: string, threadId: string, page: { sort: ThreadSort; limit: number; commentId: string }): Promise<ThreadPage> {
      const ref = { siteId, threadId };
      const keys = [threadKey(ref), publishedCommentKey({ ...ref, commentId: page.commentId })];
      const result = await ctx.send("readPageAround", new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      const found = result.Responses?.[tableName] ?? [];
      const commentItem = found.find((item) => !isThreadItem(item));
      if (!commentItem) throw new AppError("comment_not_found", "Comment not found.");
      const comment = itemToComment(commentItem);
      const rootId = comment.rootId ?? (comment.parentId === null ? comment.id : null);
      if (rootId === null) throw new AppError("comment_not_found", "Comment not found.");
      let likes = comment.likes ?? 0;
      if (page.sort === "top" && rootId !== comment.id) {
        const root = await ctx.send("readPageAround", new GetCommand({ TableName: tableName, Key: publishedCommentKey({ ...ref, commentId: rootId }) }));
        likes = typeof root.Item?.likes === "number" ? root.Item.likes : 0;
      }
      const query = rootsQuery(threadPartition(ref), page.sort, page.limit, { at: { rootId, topKey: topSortKey(likes, rootId) } });
      const threadItem = found.find(isThreadItem);
      const shaped = await runPage(ref, page.sort, page.limit, query, Promise.resolve(threadItem));
      return { thread: shaped.thread, comments: shaped.comments, next: shaped.next, featured: featuredOf(shaped.thread) };
    },

    /** Replies of a root that its page does not show, oldest first (ONE Query of its outside replies). */
    async readReplies(siteId: string, threadId: string, page: { rootId: string; afterId: string | null }) {
      const ref = { siteId, threadId };
      const prefix = outsideRepliesPrefix(page.rootId);
      const result = await ctx.send(
        "readReplies",
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": threadPartition(ref), ":prefix": prefix },
          Limit: maxRepliesPage + 1,
          ...(page.afterId ? { ExclusiveStartKey: { pk: threadPartition(ref), sk: `${prefix}${page.afterId}` } } : {}),
        }),
      );
      const items = result.Items ?? [];
      const comments = items.slice(0, maxRepliesPage).map((item) => fieldsToPublic(item, threadId));
      return { comments, nextAfterId: items.length > maxRepliesPage ? (comments.at(-1)?.id ?? null) : null };
    },
  };
}
