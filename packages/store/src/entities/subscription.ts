import { epochSeconds, itemHeader, optionalString, type Item, type WriteItem } from "./item.ts";

/**
 * Mail subscriptions (`N#<site>#<thread>` / `M#<subscriptionId>`): who asked to be mailed about a thread or
 * the replies to their comment, in which state of the double opt-in. Their tokens (`NT#<tokenHash>` / `T`)
 * point back to them: only the hash of a token is stored, taken over its purpose, so a confirmation token
 * is no unsubscribe token. A confirmation token is deleted once used and expires by TTL after 7 days.
 */

/** What a subscriber wants mailed: replies to their own comment, or every new comment of the thread. */
export type SubscriptionKind = "replies" | "thread";

/** Double opt-in: `unconfirmed` until the mailed link is followed (at once for a verified sign-in). */
export type SubscriptionState = "unconfirmed" | "confirmed" | "unsubscribed";

/** A stored subscription. The address is kept only here, never in a key. */
export interface SubscriptionRecord {
  subscriptionId: string;
  siteId: string;
  threadId: string;
  kind: SubscriptionKind;
  /** For `replies`: the subscriber's comment. */
  commentId: string | null;
  address: string;
  /** Keyed hash of the normalized address (caps, gathering, suppression are keyed by it). */
  addressHash: string;
  state: SubscriptionState;
  /** The language mails are written in. */
  language: string;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

/** Where a token leads. */
export interface SubscriptionTokenRecord {
  tokenHash: string;
  purpose: "confirm" | "unsubscribe";
  siteId: string;
  threadId: string;
  subscriptionId: string;
}

const confirmTokenDays = 7;

/** The partition of a thread's subscriptions. */
export const threadSubscriptionsKey = ({ siteId, threadId }: { siteId: string; threadId: string }) => ({ pk: `N#${siteId}#${threadId}` });

/** The key of one subscription. */
export const subscriptionKey = (input: { siteId: string; threadId: string; subscriptionId: string }) => ({
  ...threadSubscriptionsKey(input),
  sk: `M#${input.subscriptionId}`,
});

/** The sort-key prefix of subscriptions in a thread's partition. */
export const subscriptionSkPrefix = "M#";

/** The key of a token's lookup item. */
export const subscriptionTokenKey = ({ tokenHash }: { tokenHash: string }) => ({ pk: `NT#${tokenHash}`, sk: "T" });

/** The item of a subscription. */
export const subscriptionItem = (record: SubscriptionRecord): Item => ({ ...subscriptionKey(record), ...itemHeader("subscription"), ...record });

/** Puts a new subscription (never over an existing one). */
export const subscriptionPut = (record: SubscriptionRecord): WriteItem => ({
  Put: { Item: subscriptionItem(record), ConditionExpression: "attribute_not_exists(pk)" },
});

/** Puts a token's lookup item; a confirmation token expires after 7 days. */
export function subscriptionTokenPut(record: SubscriptionTokenRecord, now: Date): WriteItem {
  const ttl = record.purpose === "confirm" ? { ttl: epochSeconds(now) + confirmTokenDays * 86_400 } : {};
  return { Put: { Item: { ...subscriptionTokenKey(record), ...itemHeader("subscriptionToken"), ...record, ...ttl } } };
}

/** Reads a subscription item. */
export function itemToSubscription(item: Item): SubscriptionRecord {
  return {
    subscriptionId: String(item.subscriptionId),
    siteId: String(item.siteId),
    threadId: String(item.threadId),
    kind: item.kind === "thread" ? "thread" : "replies",
    commentId: optionalString(item.commentId),
    address: String(item.address),
    addressHash: String(item.addressHash),
    state: item.state === "confirmed" || item.state === "unsubscribed" ? item.state : "unconfirmed",
    language: String(item.language ?? "en"),
    createdAt: String(item.createdAt),
    confirmedAt: optionalString(item.confirmedAt),
    unsubscribedAt: optionalString(item.unsubscribedAt),
  };
}

/** Reads a token's lookup item (null when it has expired but TTL has not removed it yet). */
export function itemToSubscriptionToken(item: Item, now: Date): SubscriptionTokenRecord | null {
  if (typeof item.ttl === "number" && item.ttl < epochSeconds(now)) return null;
  return {
    tokenHash: String(item.tokenHash),
    purpose: item.purpose === "confirm" ? "confirm" : "unsubscribe",
    siteId: String(item.siteId),
    threadId: String(item.threadId),
    subscriptionId: String(item.subscriptionId),
  };
}
