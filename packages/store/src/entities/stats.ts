import { headerUpdate, type Item, type WriteItem } from "./item.ts";

/**
 * Daily moderation stats of a site (`M#<site>` / `<YYYY-MM-DD>`, UTC dates): counters added to by the writes
 * they count, so the stats of `days` days are ONE Query of at most 90 small items.
 *
 * Attributes: `d_approve|d_reject|d_spam` (decisions), `m:<moderator>` (decisions per moderator),
 * `t:<bucket>` (time from queueing to decision, log-scale buckets), `c_published|c_pending|c_spam` (new
 * comments by what happened to them when posted).
 */

/** The partition of a site's daily stats. */
export const statsPartition = ({ siteId }: { siteId: string }) => `M#${siteId}`;

/** The UTC date (`YYYY-MM-DD`) of an instant. */
export const utcDate = (at: string | Date) => new Date(at).toISOString().slice(0, 10);

/** The key of a site's stats item for a day. */
export const statsKey = (input: { siteId: string; date: string }) => ({ pk: statsPartition(input), sk: input.date });

const header = headerUpdate("stats");

/** Buckets per doubling of the time to decision: each bucket spans about 19 %. */
const bucketsPerDoubling = 4;

/** The bucket of a time to decision. */
export const timeBucket = (seconds: number) => Math.round(bucketsPerDoubling * Math.log2(1 + Math.max(0, seconds)));

/** The time (seconds) a bucket stands for. */
export const bucketSeconds = (bucket: number) => Math.round(2 ** (bucket / bucketsPerDoubling) - 1);

/** Decision actions the stats count. */
export type CountedDecision = "approve" | "reject" | "spam";

/** Counts one decision on its day: the action, the moderator and (for a queued comment) the time it waited. */
export function decisionCounted(input: { siteId: string; at: string; action: CountedDecision; moderator: string; queuedAt: string | null }): WriteItem {
  const waited = input.queuedAt === null ? null : (new Date(input.at).getTime() - new Date(input.queuedAt).getTime()) / 1000;
  return {
    Update: {
      Key: statsKey({ siteId: input.siteId, date: utcDate(input.at) }),
      UpdateExpression: `SET ${header.set} ADD #action :one, #moderator :one${waited === null ? "" : ", #bucket :one"}`,
      ExpressionAttributeNames: {
        ...header.names,
        "#action": `d_${input.action}`,
        "#moderator": `m:${input.moderator}`,
        ...(waited === null ? {} : { "#bucket": `t:${timeBucket(waited)}` }),
      },
      ExpressionAttributeValues: { ...header.values, ":one": 1 },
    },
  };
}

/** Outcomes of a new comment the stats count. */
export type PostOutcome = "published" | "pending" | "spam";

/** Counts a new comment on its day by outcome (as an `UpdateItem` input without table). */
export const postCounted = (input: { siteId: string; at: string; outcome: PostOutcome }) => ({
  Key: statsKey({ siteId: input.siteId, date: utcDate(input.at) }),
  UpdateExpression: `SET ${header.set} ADD #outcome :one`,
  ExpressionAttributeNames: { ...header.names, "#outcome": `c_${input.outcome}` },
  ExpressionAttributeValues: { ...header.values, ":one": 1 },
});

/** One day's counters as read. */
export interface DayStats {
  date: string;
  decisions: Record<CountedDecision, number>;
  byModerator: Record<string, number>;
  /** Count per time-to-decision bucket. */
  waits: Map<number, number>;
  comments: Record<PostOutcome, number>;
}

/** Reads a day's stats item. */
export function itemToDayStats(item: Item): DayStats {
  const n = (name: string) => Number(item[name] ?? 0) || 0;
  const byModerator: Record<string, number> = {};
  const waits = new Map<number, number>();
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith("m:")) byModerator[name.slice(2)] = Number(value) || 0;
    else if (name.startsWith("t:")) waits.set(Number(name.slice(2)), Number(value) || 0);
  }
  return {
    date: String(item.sk),
    decisions: { approve: n("d_approve"), reject: n("d_reject"), spam: n("d_spam") },
    byModerator,
    waits,
    comments: { published: n("c_published"), pending: n("c_pending"), spam: n("c_spam") },
  };
}
