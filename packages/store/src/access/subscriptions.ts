import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Item } from "../entities/item.ts";
import {
  itemToSubscription,
  itemToSubscriptionToken,
  subscriptionKey,
  subscriptionPut,
  subscriptionSkPrefix,
  subscriptionTokenKey,
  subscriptionTokenPut,
  threadSubscriptionsKey,
  type SubscriptionRecord,
} from "../entities/subscription.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/** What following a confirm or unsubscribe link did. */
export type SubscriptionChange =
  | { outcome: "changed"; subscription: SubscriptionRecord }
  /** Confirmed or unsubscribed already: following a link twice is harmless. */
  | { outcome: "unchanged"; subscription: SubscriptionRecord }
  /** No such token (never issued, used, expired) or it belongs to another site. */
  | { outcome: "unknown" };

/** Subscriptions (double opt-in, one-click unsubscribe) and the tokens that lead to them. */
export function subscriptionAccess(ctx: StoreContext) {
  const { tableName } = ctx;

  async function byToken(siteId: string, tokenHash: string, purpose: "confirm" | "unsubscribe", now: Date) {
    const found = await ctx.send("getSubscriptionToken", new GetCommand({ TableName: tableName, Key: subscriptionTokenKey({ tokenHash }), ConsistentRead: true }));
    const token = found.Item ? itemToSubscriptionToken(found.Item, now) : null;
    if (!token || token.purpose !== purpose || token.siteId !== siteId) return null;
    const read = await ctx.send("getSubscription", new GetCommand({ TableName: tableName, Key: subscriptionKey(token), ConsistentRead: true }));
    return read.Item ? itemToSubscription(read.Item) : null;
  }

  /** Moves a subscription to `state` unless it is there already (or, to confirm, unsubscribed). */
  async function change(subscription: SubscriptionRecord, state: "confirmed" | "unsubscribed", from: string[], now: Date): Promise<SubscriptionChange> {
    const at = now.toISOString();
    try {
      const result = await ctx.send(
        "changeSubscription",
        new UpdateCommand({
          TableName: tableName,
          Key: subscriptionKey(subscription),
          UpdateExpression: `SET #state = :state, ${state === "confirmed" ? "confirmedAt" : "unsubscribedAt"} = :at`,
          ConditionExpression: `attribute_exists(pk) AND #state IN (${from.map((_, i) => `:from${i}`).join(", ")})`,
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":state": state, ":at": at, ...Object.fromEntries(from.map((value, i) => [`:from${i}`, value])) },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { outcome: "changed", subscription: itemToSubscription(result.Attributes as Item) };
    } catch (error) {
      if (error instanceof ConditionFailed) return { outcome: "unchanged", subscription };
      throw error;
    }
  }

  return {
    /** The subscription a link's token leads to (purpose and site must match), or null. */
    findSubscriptionByToken: byToken,

    /** Stores a new subscription with the hashes of its tokens (the confirmation token only when one is mailed). */
    async createSubscription(record: SubscriptionRecord, tokens: { confirmHash: string | null; unsubscribeHash: string }, now: Date): Promise<void> {
      const ref = { siteId: record.siteId, threadId: record.threadId, subscriptionId: record.subscriptionId };
      await ctx.transact("createSubscription", [
        subscriptionPut(record),
        subscriptionTokenPut({ ...ref, tokenHash: tokens.unsubscribeHash, purpose: "unsubscribe" }, now),
        ...(tokens.confirmHash ? [subscriptionTokenPut({ ...ref, tokenHash: tokens.confirmHash, purpose: "confirm" }, now)] : []),
      ]);
    },

    /** One subscription by id, or null. */
    async getSubscription(ref: { siteId: string; threadId: string; subscriptionId: string }): Promise<SubscriptionRecord | null> {
      const read = await ctx.send("getSubscription", new GetCommand({ TableName: tableName, Key: subscriptionKey(ref), ConsistentRead: true }));
      return read.Item ? itemToSubscription(read.Item) : null;
    },

    /** Every subscription of a thread, in every state (the mail decisions filter them). */
    async listThreadSubscriptions(siteId: string, threadId: string): Promise<SubscriptionRecord[]> {
      const subscriptions: SubscriptionRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await ctx.send(
          "listThreadSubscriptions",
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
            ExpressionAttributeValues: { ":pk": threadSubscriptionsKey({ siteId, threadId }).pk, ":s": subscriptionSkPrefix },
            ExclusiveStartKey: startKey,
          }),
        );
        subscriptions.push(...(result.Items ?? []).map(itemToSubscription));
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return subscriptions;
    },

    /**
     * Follows a confirmation link: confirms an unconfirmed subscription. The token stays until it expires
     * (7 days), so a second click reads "already confirmed" rather than "not valid".
     */
    async confirmSubscription(siteId: string, tokenHash: string, now: Date): Promise<SubscriptionChange> {
      const subscription = await byToken(siteId, tokenHash, "confirm", now);
      if (!subscription) return { outcome: "unknown" };
      return change(subscription, "confirmed", ["unconfirmed"], now);
    },

    /** Follows an unsubscribe link (the token stays, so a second click says "already unsubscribed"). */
    async unsubscribe(siteId: string, tokenHash: string, now: Date): Promise<SubscriptionChange> {
      const subscription = await byToken(siteId, tokenHash, "unsubscribe", now);
      if (!subscription) return { outcome: "unknown" };
      return change(subscription, "unsubscribed", ["unconfirmed", "confirmed"], now);
    },
  };
}
