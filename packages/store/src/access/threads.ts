import { BatchGetCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Item } from "../entities/item.ts";
import { itemToThread, threadKey, type ThreadRecord } from "../entities/thread.ts";
import { untilProcessed } from "../failures.ts";
import type { StoreContext } from "../send.ts";

/** What readers read besides pages (`pages.ts`): the thread item (pattern 2) and comment counts (pattern 3). */
export function threadAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** Answers when the table can be read (health check). */
    async ping(): Promise<void> {
      await ctx.send("ping", new GetCommand({ TableName: tableName, Key: { pk: "health", sk: "health" } }));
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
