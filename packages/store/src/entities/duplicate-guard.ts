import { epochSeconds, itemHeader, type WriteItem } from "./item.ts";

/**
 * Duplicate guards (`D#<site>#<thread>#<digest>` / `D`): the digest of an author's normalised body, kept for the
 * site's duplicate window (TTL), so the same comment posted twice in a thread is refused.
 */

/** The key of the guard of one body digest in a thread. */
export const duplicateKey = (input: { siteId: string; threadId: string; digest: string }) => ({
  pk: `D#${input.siteId}#${input.threadId}#${input.digest}`,
  sk: "D",
});

/** The put of a guard; fails while a live guard of the same digest exists. */
export function duplicatePut(input: { siteId: string; threadId: string; digest: string; windowMinutes: number; now: Date }): WriteItem {
  const nowSeconds = epochSeconds(input.now);
  return {
    Put: {
      Item: { ...duplicateKey(input), ...itemHeader("duplicate"), ttl: nowSeconds + input.windowMinutes * 60 },
      ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: { ":now": nowSeconds },
    },
  };
}
