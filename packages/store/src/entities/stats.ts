import { headerUpdate, type Item, type WriteItem } from "./item.ts";

/**
 * Daily moderation stats of a site, in the partition `M#<site>` (UTC dates): counters added to by the writes
 * they count, so the stats of `days` days are ONE Query of the partition's dates.
 *
 * - The day's item (`<YYYY-MM-DD>`): `d_approve|d_reject|d_spam` (decisions), `m:<moderator>` (decisions per
 *   moderator), `t:<bucket>` (time from queueing to decision, log-scale buckets). Items written before 2026-12
 *   also carry the day's new comments (`c_*`, below).
 * - The posters' day items (`<YYYY-MM-DD>#<poster>`, `rate-window.ts`): each poster's rate-limit windows and
 *   `c_published|c_pending|c_spam`, their new comments of the day by what happened to them when posted. Counting
 *   a post there rides on the rate-limit update its transaction makes anyway; the reader sums a day's items.
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

/** The outcome the stats count a new comment of `status` as (null: not counted). */
export const postOutcome = (status: string): PostOutcome | null =>
  status === "published" || status === "pending" || status === "spam" ? status : null;

/** The sort key just after every item of a day (its own and its posters'), for a Query's upper bound. */
export const afterDay = (date: string) => `${date}~`;

/** One day's counters as read. */
export interface DayStats {
  date: string;
  decisions: Record<CountedDecision, number>;
  byModerator: Record<string, number>;
  /** Count per time-to-decision bucket. */
  waits: Map<number, number>;
  comments: Record<PostOutcome, number>;
}

/** Reads a day's stats item or a poster's day item (its date is the start of its sort key). */
export function itemToDayStats(item: Item): DayStats {
  const n = (name: string) => Number(item[name] ?? 0) || 0;
  const byModerator: Record<string, number> = {};
  const waits = new Map<number, number>();
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith("m:")) byModerator[name.slice(2)] = Number(value) || 0;
    else if (name.startsWith("t:")) waits.set(Number(name.slice(2)), Number(value) || 0);
  }
  return {
    date: String(item.sk).slice(0, 10),
    decisions: { approve: n("d_approve"), reject: n("d_reject"), spam: n("d_spam") },
    byModerator,
    waits,
    comments: { published: n("c_published"), pending: n("c_pending"), spam: n("c_spam") },
  };
}

/** Sums the items of each day (the day's own and its posters') into one per date, in the order first seen. */
export function sumByDate(items: DayStats[]): DayStats[] {
  const byDate = new Map<string, DayStats>();
  const add = <K extends string>(into: Record<K, number>, from: Record<K, number>) => {
    for (const key of Object.keys(from) as K[]) into[key] = (into[key] ?? 0) + from[key];
  };
  for (const item of items) {
    const day = byDate.get(item.date);
    if (!day) {
      byDate.set(item.date, { ...item, decisions: { ...item.decisions }, byModerator: { ...item.byModerator }, waits: new Map(item.waits), comments: { ...item.comments } });
      continue;
    }
    add(day.decisions, item.decisions);
    add(day.byModerator, item.byModerator);
    add(day.comments, item.comments);
    for (const [bucket, n] of item.waits) day.waits.set(bucket, (day.waits.get(bucket) ?? 0) + n);
  }
  return [...byDate.values()];
}
