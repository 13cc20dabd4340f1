import { BatchGetCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { itemToPublicComment, publishedCommentKey, threadPageProjection } from "../entities/comment.ts";
import type { Item } from "../entities/item.ts";
import { isThreadItem, itemToThread, threadKey, threadPageRange, type ThreadRecord } from "../entities/thread.ts";
import { untilProcessed } from "../failures.ts";
import type { StoreContext } from "../send.ts";

/** What readers read: thread pages (pattern 1), the thread item (pattern 2) and comment counts (pattern 3). */
export function threadAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** Answers when the table can be read (health check). */
    async ping(): Promise<void> {
      await ctx.send("ping", new GetCommand({ TableName: tableName, Key: { pk: "health", sk: "health" } }));
    },

    /**
     * One page of a thread's published comments, oldest first.
     * First page: ONE Query that returns the thread item and the comments. Later pages: the Query plus a
     * GetItem of the thread item, in parallel.
     */
    async readThreadPage(siteId: string, threadId: string, page: { limit: number; afterId: string | null }) {
      const ref = { siteId, threadId };
      const key = threadKey(ref);
      const query = ctx.send(
        "readThreadPage",
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":pk": key.pk, ":from": threadPageRange.from, ":to": threadPageRange.to },
          ...(page.afterId ? { ExclusiveStartKey: publishedCommentKey({ ...ref, commentId: page.afterId }) } : {}),
          // The thread item on the first page, plus one more comment than asked to know if there is a next page.
          Limit: page.limit + (page.afterId ? 1 : 2),
          ...threadPageProjection,
        }),
      );
      const threadRead = page.afterId ? ctx.send("readThreadPage", new GetCommand({ TableName: tableName, Key: key })) : Promise.resolve(undefined);
      const [result, threadResult] = await Promise.all([query, threadRead]);
      const items = result.Items ?? [];
      const threadItem = page.afterId ? threadResult?.Item : items[0] && isThreadItem(items[0]) ? items[0] : undefined;
      const commentItems = items.filter((item) => !isThreadItem(item));
      const hasMore = commentItems.length > page.limit;
      const comments = commentItems.slice(0, page.limit).map(itemToPublicComment);
      return {
        thread: itemToThread(threadItem, ref),
        comments,
        nextAfterId: hasMore ? (comments.at(-1)?.id ?? null) : null,
      };
    },

    /** The thread item alone (one GetItem): enough to answer `If-None-Match`. */
    async getThread(siteId: string, threadId: string): Promise<ThreadRecord> {
      const result = await ctx.send("getThread", new GetCommand({ TableName: tableName, Key: threadKey({ siteId, threadId }) }));
      return itemToThread(result.Item, { siteId, threadId });
    },

    /** Published comment counts of up to 100 threads (BatchGetItem). */
    async countComments(siteId: string, threadIds: string[]): Promise<Record<string, number>> {
      const counts: Record<string, number> = Object.fromEntries(threadIds.map((id) => [id, 0]));
      const keys: Item[] = [...new Set(threadIds)].map((threadId) => threadKey({ siteId, threadId }));
      await untilProcessed(
        keys,
        async (pending) => {
          const result = await ctx.send(
            "countComments",
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: "threadId, commentCount" } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) counts[String(item.threadId)] = Number(item.commentCount ?? 0);
          return (result.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
        },
        5,
      );
      return counts;
    },
  };
}
