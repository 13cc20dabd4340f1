import type { DigestSettings } from "./settings.ts";

/** The queue as the digest reports it. */
export interface QueueSummary {
  size: number;
  /** When the longest-waiting comment entered the queue; null for an empty queue. */
  oldestQueuedAt: string | null;
  /** How many waiting comments carry each reason (a comment with two reasons counts under both). */
  countsByReason: Record<string, number>;
}

/** A waiting comment, as the summary counts it. */
export interface QueuedForDigest {
  queuedAt: string | null;
  createdAt: string;
  reasons: readonly string[];
}

/** Sums up the waiting comments. */
export function summarizeQueue(items: readonly QueuedForDigest[]): QueueSummary {
  const countsByReason: Record<string, number> = {};
  let oldest: string | null = null;
  for (const item of items) {
    const queuedAt = item.queuedAt ?? item.createdAt;
    if (oldest === null || queuedAt < oldest) oldest = queuedAt;
    for (const reason of new Set(item.reasons)) countsByReason[reason] = (countsByReason[reason] ?? 0) + 1;
  }
  return { size: items.length, oldestQueuedAt: oldest, countsByReason };
}

const periodMs = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * The moderators to send a digest to now, or null. A digest goes when the site has one configured, the queue is
 * not empty, and none was sent in the current period (UTC hour or day) — so a scheduler firing late or twice
 * sends one per period.
 */
export function digestRecipients(input: { settings: DigestSettings | null; summary: QueueSummary; lastSentAt: string | null; now: Date }): string[] | null {
  const { settings, summary, lastSentAt, now } = input;
  if (!settings || settings.emails.length === 0 || summary.size === 0) return null;
  const period = periodMs[settings.every];
  if (lastSentAt !== null && Math.floor(Date.parse(lastSentAt) / period) >= Math.floor(now.getTime() / period)) return null;
  return [...settings.emails];
}
