import { AppError } from "@comments/core";
import { headerUpdate, type Item, type WriteItem } from "./item.ts";
import { statsPartition, utcDate, type PostOutcome } from "./stats.ts";

/**
 * Rate-limit windows of posts: ONE item per poster (IP hash, or a signed-in reader's author hash), site and UTC
 * day (`M#<site>` / `<YYYY-MM-DD>#<poster>`) holds how many comments the poster stored in the current minute and
 * the current hour, as counters named after their window (`m<minute>`, `h<hour>`), so one conditional update
 * counts a comment in both windows (UTC hours never cross a day, so a day's item holds whole windows). Counters
 * of past windows that a post read are removed by its write.
 *
 * The same update counts the comment in the day's stats by outcome (`c_published|c_pending|c_spam`): the item
 * sits in the site's stats partition, next to the day's decision counters, so the stats Query reads both and
 * sums the day's posters (see `stats.ts`), and a post needs no write of its own for its stats. It is kept as long
 * as the stats show its day (TTL: the day's start + 91 days).
 * (Before 2026-12 the windows sat in `R#<site>#<ipHash>` / `W`, expiring two hours after their last hour, and a
 * post counted itself in the day's stats item with an `UpdateItem` of its own; those window items expire by TTL.)
 */

const minuteMs = 60_000;
const hourMs = 3_600_000;
const daySeconds = 86_400;
/** How long a poster's day item is kept: the longest stats span (90 days) and a day to spare. */
const keptDays = 91;

/**
 * The windows `now` falls in for a poster (`ipHash`: the IP hash, or a signed-in reader's author hash): the day
 * item's key and expiry, each window's counter attribute and end (epoch ms).
 */
export function rateWindows(input: { siteId: string; ipHash: string; now: Date }) {
  const minute = Math.floor(input.now.getTime() / minuteMs);
  const hour = Math.floor(input.now.getTime() / hourMs);
  const date = utcDate(input.now);
  return {
    key: { pk: statsPartition(input), sk: `${date}#${input.ipHash}` },
    ttl: Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + keptDays * daySeconds,
    minute: { attribute: `m${minute}`, endsAt: (minute + 1) * minuteMs },
    hour: { attribute: `h${hour}`, endsAt: (hour + 1) * hourMs },
  };
}

type Windows = ReturnType<typeof rateWindows>;
type Window = Windows["minute"];

/** True for the windows item among items read by key. */
export const isWindowsItem = (item: Item, windows: Windows) => item.pk === windows.key.pk && item.sk === windows.key.sk;

/** How many comments a window counts in the windows item (none stored yet: 0). */
export const windowCount = (item: Item | undefined, window: Window) => Number(item?.[window.attribute] ?? 0);

/** Counter attributes of windows other than the current two (they are dropped by the next write). */
const pastCounters = (item: Item | undefined, windows: Windows) =>
  Object.keys(item ?? {}).filter((name) => /^[mh]\d+$/.test(name) && name !== windows.minute.attribute && name !== windows.hour.attribute);

const header = headerUpdate("rateWindow");

/**
 * Counts one more comment in both windows and, by its outcome, in the day's stats; fails when the minute window
 * holds `perMinute` or the hour window `perHour` (the old item comes back with the failure, so the caller can
 * tell which). `seen` is the item as the post read it: its past counters are removed.
 */
export function windowsIncrement(input: {
  windows: Windows;
  perMinute: number;
  perHour: number;
  seen: Item | undefined;
  /** What the stats count the comment as (null: not counted, e.g. a comment stored as rejected). */
  outcome: PostOutcome | null;
}): WriteItem {
  const { windows } = input;
  const stale = pastCounters(input.seen, windows);
  const counted = input.outcome === null ? "" : ", #outcome = if_not_exists(#outcome, :zero) + :one";
  return {
    Update: {
      Key: windows.key,
      UpdateExpression:
        `SET ${header.set}, #m = if_not_exists(#m, :zero) + :one, #h = if_not_exists(#h, :zero) + :one, #ttl = :ttl${counted}` +
        (stale.length ? ` REMOVE ${stale.map((_, i) => `#s${i}`).join(", ")}` : ""),
      ConditionExpression: "(attribute_not_exists(#m) OR #m < :perMinute) AND (attribute_not_exists(#h) OR #h < :perHour)",
      ExpressionAttributeNames: {
        ...header.names,
        "#m": windows.minute.attribute,
        "#h": windows.hour.attribute,
        "#ttl": "ttl",
        ...(input.outcome === null ? {} : { "#outcome": `c_${input.outcome}` }),
        ...Object.fromEntries(stale.map((name, i) => [`#s${i}`, name])),
      },
      ExpressionAttributeValues: {
        ...header.values,
        ":zero": 0,
        ":one": 1,
        ":perMinute": input.perMinute,
        ":perHour": input.perHour,
        ":ttl": windows.ttl,
      },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}

/** The end of the window that refused a comment, judged from the windows item as it was. */
export function fullWindowEnd(input: { windows: Windows; perMinute: number; old: Item | null }): number {
  return windowCount(input.old ?? undefined, input.windows.minute) >= input.perMinute ? input.windows.minute.endsAt : input.windows.hour.endsAt;
}

/** `429 rate_limited` with `Retry-After` in whole seconds until the window ends. */
export function rateLimited(endsAtMs: number, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((endsAtMs - now.getTime()) / 1000));
  return new AppError("rate_limited", `Too many comments. Please wait ${seconds} seconds and try again.`, { retryAfter: seconds });
}

/** The likes window `now` falls in: one item per IP and site (`R#<site>#<ipHash>` / `L`), a counter per minute. */
export function likeWindow(input: { siteId: string; ipHash: string; now: Date }) {
  const minute = Math.floor(input.now.getTime() / minuteMs);
  return { key: { pk: `R#${input.siteId}#${input.ipHash}`, sk: "L" }, attribute: `m${minute}`, endsAt: (minute + 1) * minuteMs };
}

/** Counts one more like request of the IP in its minute window; fails when the window holds `perMinute`. */
export function likeWindowIncrement(input: { window: ReturnType<typeof likeWindow>; perMinute: number }): WriteItem {
  return {
    Update: {
      Key: input.window.key,
      UpdateExpression: "SET #type = :type, v = :v, #m = if_not_exists(#m, :zero) + :one, #ttl = :ttl",
      ConditionExpression: "attribute_not_exists(#m) OR #m < :perMinute",
      ExpressionAttributeNames: { ...header.names, "#m": input.window.attribute, "#ttl": "ttl" },
      ExpressionAttributeValues: {
        ...header.values,
        ":zero": 0,
        ":one": 1,
        ":perMinute": input.perMinute,
        ":ttl": Math.floor(input.window.endsAt / 1000) + 3600,
      },
    },
  };
}
