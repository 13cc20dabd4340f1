import type { ModerationStats } from "@comments/core";
import { bucketSeconds, type DayStats, type QueueEntry } from "@comments/store";

const dayMs = 86_400_000;

/** The UTC dates of the `days` days ending today, oldest first. */
export function statsDates(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * dayMs).toISOString().slice(0, 10));
}

/** The time (seconds) below which `share` of the counted waits fall, from the merged buckets; null without any. */
function percentile(waits: Map<number, number>, share: number): number | null {
  const buckets = [...waits].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= share * total) return bucketSeconds(bucket);
  }
  return bucketSeconds(buckets[buckets.length - 1]![0]);
}

/**
 * The stats answer from the day counters and the queue as it stands. Days without a counter item count zero;
 * time to decision is read from log-scale buckets (each about 19 % wide), so p50/p95 are that close.
 */
export function moderationStats(input: { dates: string[]; days: DayStats[]; queue: QueueEntry[] }): ModerationStats {
  const byDate = new Map(input.days.map((day) => [day.date, day]));
  const waits = new Map<number, number>();
  const byModerator = new Map<string, number>();
  for (const day of input.days) {
    for (const [bucket, n] of day.waits) waits.set(bucket, (waits.get(bucket) ?? 0) + n);
    for (const [moderator, n] of Object.entries(day.byModerator)) byModerator.set(moderator, (byModerator.get(moderator) ?? 0) + n);
  }
  const byReason: Record<string, number> = {};
  let oldestAt: string | null = null;
  for (const entry of input.queue) {
    for (const reason of new Set(entry.reasons)) byReason[reason] = (byReason[reason] ?? 0) + 1;
    if (oldestAt === null || entry.queuedAt < oldestAt) oldestAt = entry.queuedAt;
  }
  return {
    queue: { size: input.queue.length, oldestAt: oldestAt === null ? null : new Date(oldestAt).toISOString(), byReason },
    decisions: {
      perDay: input.dates.map((date) => ({ date, ...(byDate.get(date)?.decisions ?? { approve: 0, reject: 0, spam: 0 }) })),
      timeToDecision: { p50Seconds: percentile(waits, 0.5), p95Seconds: percentile(waits, 0.95) },
      byModerator: [...byModerator]
        .filter(([, count]) => count > 0)
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
        .map(([moderator, count]) => ({ moderator, count })),
    },
    comments: { perDay: input.dates.map((date) => ({ date, ...(byDate.get(date)?.comments ?? { published: 0, pending: 0, spam: 0 }) })) },
  };
}
