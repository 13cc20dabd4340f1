import { BatchGetCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredComment } from "@comments/core";
import { authorCommentsPartition, commentSortPrefixes, legacyPublishedPrefix, hiddenCommentKey, isCommentItem, itemToComment, publishedCommentKey } from "../entities/comment.ts";
import type { Item } from "../entities/item.ts";
import { isThreadItem, itemToThread, siteThreadsPrefix, threadPageRange, threadPartition, type ThreadRecord } from "../entities/thread.ts";
import { untilProcessed } from "../failures.ts";
import type { StoreContext } from "../send.ts";
import { indexNames } from "../table.ts";

/** A comment reference inside a site. */
export interface CommentRef {
  threadId: string;
  id: string;
}

const batchGetKeys = 100;
const refKey = (threadId: string, id: string) => `${threadId}\n${id}`;
const byId = (a: StoredComment, b: StoredComment) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** BatchGetItem of any number of keys (100 per call), retrying unprocessed keys. */
export async function batchGet(ctx: StoreContext, operation: string, keys: Item[], projection?: string): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += batchGetKeys) {
    await untilProcessed(keys.slice(start, start + batchGetKeys), async (pending) => {
      const result = await ctx.send(
        operation,
        new BatchGetCommand({
          RequestItems: { [ctx.tableName]: { Keys: pending, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) } },
        }),
      );
      found.push(...(result.Responses?.[ctx.tableName] ?? []));
      return (result.UnprocessedKeys?.[ctx.tableName]?.Keys as Item[] | undefined) ?? [];
    });
  }
  return found;
}

/**
 * Items per page of {@link queryPartition}. DynamoDB answers at most 1 MB per page anyway; a smaller page costs the
 * same read units in about twice the calls, and keeps DynamoDB Local (the embedded and test store) fast: it reads
 * the rest of the partition for every full-size page, which made reading a 20,000-comment thread take ten times
 * as long.
 */
const partitionPageSize = 500;

/** Every item of a partition (all pages). */
export async function queryPartition(
  ctx: StoreContext,
  operation: string,
  pk: string,
  projection?: { expression: string; names?: Record<string, string> },
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const result = await ctx.send(
      operation,
      new QueryCommand({
        TableName: ctx.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ConsistentRead: true,
        Limit: partitionPageSize,
        ...(projection ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Reads for imports, exports and readers' data requests (patterns 1 and 7, and a Scan for the site export). */
export function bulkReads(ctx: StoreContext) {
  return {
    /** Which of these comments already exist in the site, published or hidden (keys `threadId\nid`). */
    async existingComments(siteId: string, refs: CommentRef[]): Promise<Set<string>> {
      const keys = refs.flatMap((ref) => {
        const comment = { siteId, threadId: ref.threadId, commentId: ref.id };
        return [publishedCommentKey(comment), hiddenCommentKey(comment)];
      });
      const found = await batchGet(ctx, "existingComments", keys, "threadId, id");
      return new Set(found.map((item) => refKey(String(item.threadId), String(item.id))));
    },

    /** Every thread of a site that holds comments or counters (one paginated Scan of the table). */
    async listThreadIds(siteId: string, onPage?: (scanned: number) => void): Promise<string[]> {
      const threads = new Set<string>();
      const prefix = siteThreadsPrefix({ siteId });
      let startKey: Item | undefined;
      let scanned = 0;
      do {
        const result = await ctx.send(
          "listThreadIds",
          new ScanCommand({
            TableName: ctx.tableName,
            FilterExpression:
              "begins_with(pk, :prefix) AND (sk = :thread OR begins_with(sk, :published) OR begins_with(sk, :hidden) OR begins_with(sk, :legacy))",
            ExpressionAttributeValues: {
              ":prefix": prefix,
              ":thread": threadPageRange.from,
              ":published": commentSortPrefixes.published,
              ":hidden": commentSortPrefixes.hidden,
              ":legacy": legacyPublishedPrefix,
            },
            ProjectionExpression: "pk",
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of result.Items ?? []) threads.add(String(item.pk).slice(prefix.length));
        scanned += result.ScannedCount ?? 0;
        onPage?.(scanned);
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return [...threads].sort();
    },

    /** A thread's counters and all its comments, published and hidden, oldest first. */
    async readThread(siteId: string, threadId: string): Promise<{ thread: ThreadRecord; comments: StoredComment[] }> {
      const items = await queryPartition(ctx, "readThread", threadPartition({ siteId, threadId }));
      const thread = items.find(isThreadItem);
      return { thread: itemToThread(thread, { siteId, threadId }), comments: items.filter(isCommentItem).map(itemToComment).sort(byId) };
    },

    /** Every comment of an author on a site, oldest first (Query of the author index, then BatchGetItem). */
    async findAuthorComments(siteId: string, authorHash: string): Promise<StoredComment[]> {
      const keys: Item[] = [];
      let startKey: Item | undefined;
      do {
        const result = await ctx.send(
          "findAuthorComments",
          new QueryCommand({
            TableName: ctx.tableName,
            IndexName: indexNames.author,
            KeyConditionExpression: "gsi2pk = :pk",
            ExpressionAttributeValues: { ":pk": authorCommentsPartition({ siteId, authorHash }) },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of result.Items ?? []) keys.push({ pk: item.pk, sk: item.sk });
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      // The index is eventually consistent: keep only items that still belong to the author.
      const found = await batchGet(ctx, "findAuthorComments", keys);
      return found.filter(isCommentItem).map(itemToComment).filter((c) => c.authorHash === authorHash).sort(byId);
    },
  };
}
