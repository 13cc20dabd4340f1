import { AppError } from "@comments/core";
import { headerUpdate, type Item, type WriteItem } from "./item.ts";

/**
 * Rate-limit windows (`R#<site>#<ipHash>` / `M#<minute>` and `H#<hour>`): how many comments an IP stored on a
 * site in the current minute and hour. Each window expires by TTL an hour after it ends.
 */

const minuteMs = 60_000;
const hourMs = 3_600_000;

/** The two windows `now` falls in, with their keys and ends (epoch ms). */
export function rateWindows(input: { siteId: string; ipHash: string; now: Date }) {
  const pk = `R#${input.siteId}#${input.ipHash}`;
  const minute = Math.floor(input.now.getTime() / minuteMs);
  const hour = Math.floor(input.now.getTime() / hourMs);
  return {
    minute: { key: { pk, sk: `M#${minute}` }, endsAt: (minute + 1) * minuteMs },
    hour: { key: { pk, sk: `H#${hour}` }, endsAt: (hour + 1) * hourMs },
  };
}

type Window = ReturnType<typeof rateWindows>["minute"];

/** How many comments a window item counts (none stored yet: 0). */
export const windowCount = (items: Item[], window: Window) => Number(items.find((item) => item.sk === window.key.sk)?.n ?? 0);

const header = headerUpdate("rateWindow");

/** Counts one more comment in a window; fails when the window already holds `limit`. */
export const windowIncrement = (window: Window, limit: number): WriteItem => ({
  Update: {
    Key: window.key,
    UpdateExpression: `ADD n :one SET ${header.set}, #ttl = :ttl, windowEndsAt = :ends`,
    ConditionExpression: "attribute_not_exists(n) OR n < :limit",
    ExpressionAttributeNames: { ...header.names, "#ttl": "ttl" },
    ExpressionAttributeValues: { ...header.values, ":one": 1, ":limit": limit, ":ttl": Math.floor(window.endsAt / 1000) + 3600, ":ends": window.endsAt },
  },
});

/** `429 rate_limited` with `Retry-After` in whole seconds until the window ends. */
export function rateLimited(endsAtMs: number, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((endsAtMs - now.getTime()) / 1000));
  return new AppError("rate_limited", `Too many comments. Please wait ${seconds} seconds and try again.`, { retryAfter: seconds });
}
