import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { queuePartition } from "../entities/comment.ts";
import { optionalString, type Item } from "../entities/item.ts";
import { afterDay, itemToDayStats, statsPartition, sumByDate, type DayStats } from "../entities/stats.ts";
import type { StoreContext } from "../send.ts";
import { indexNames } from "../table.ts";

/** A queued comment as the stats see it. */
export interface QueueEntry {
  queuedAt: string;
  reasons: string[];
}

/** Moderation stats (pattern 21): the day counters and the queue as it stands. */
export function statsAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /**
     * The site's day counters from `from` to `to` (inclusive `YYYY-MM-DD`), oldest first, each day's own item
     * and its posters' items summed: ONE Query (one per MB of items).
     */
    async readDayStats(siteId: string, from: string, to: string): Promise<DayStats[]> {
      const days: DayStats[] = [];
      let startKey: Item | undefined;
      do {
        const result = await ctx.send(
          "readDayStats",
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues: { ":pk": statsPartition({ siteId }), ":from": from, ":to": afterDay(to) },
            ExclusiveStartKey: startKey,
          }),
        );
        days.push(...(result.Items ?? []).map(itemToDayStats));
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return sumByDate(days);
    },

    /** Every comment awaiting a decision: when it was queued and why (the queue index, 1 MB per Query). */
    async readQueueEntries(siteId: string): Promise<QueueEntry[]> {
      const entries: QueueEntry[] = [];
      let startKey: Item | undefined;
      do {
        const result = await ctx.send(
          "readQueueEntries",
          new QueryCommand({
            TableName: tableName,
            IndexName: indexNames.queue,
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": queuePartition({ siteId }) },
            ProjectionExpression: "queuedAt, reasons",
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of result.Items ?? []) {
          const queuedAt = optionalString(item.queuedAt);
          if (queuedAt) entries.push({ queuedAt, reasons: Array.isArray(item.reasons) ? item.reasons.map(String) : [] });
        }
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return entries;
    },
  };
}
