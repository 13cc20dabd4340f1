import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  digestItem,
  digestKey,
  gatherItem,
  gatherKey,
  gatherPartition,
  itemToGather,
  mailAddressItem,
  mailAddressKey,
  suppressionItem,
  suppressionKey,
  type GatherRecord,
} from "../entities/mail-state.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/** What the mail side remembers: confirmation caps, gathering, digests, suppressed addresses. */
export function mailStateAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  const get = async (operation: string, key: Record<string, string>) =>
    (await ctx.send(operation, new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  return {
    /** When confirmation mails went to an address on a site (the last day's, possibly older ones too). */
    async confirmationsSentTo(siteId: string, addressHash: string): Promise<string[]> {
      const item = await get("confirmationsSentTo", mailAddressKey({ siteId, addressHash }));
      return (item?.confirmationsSentAt as string[] | undefined) ?? [];
    },

    /** Records the confirmation mails sent to an address (the caller keeps only the last day's). */
    async recordConfirmationsSent(siteId: string, addressHash: string, sentAt: string[]): Promise<void> {
      await ctx.send("recordConfirmationsSent", new PutCommand({ TableName: tableName, Item: mailAddressItem({ siteId, addressHash, confirmationsSentAt: sentAt }) }));
    },

    /** The gathering of one address on one thread, or null. */
    async getGather(ref: { siteId: string; threadId: string; addressHash: string }): Promise<GatherRecord | null> {
      const item = await get("getGather", gatherKey(ref));
      return item ? itemToGather(item) : null;
    },

    /**
     * Writes a gather record if nobody else wrote it since it was read at `record.rev - 1` (0: never written);
     * false when another writer came first (read again and retry).
     */
    async putGather(record: GatherRecord, now: Date): Promise<boolean> {
      try {
        await ctx.send(
          "putGather",
          new PutCommand({
            TableName: tableName,
            Item: gatherItem(record, now),
            ConditionExpression: record.rev <= 1 ? "attribute_not_exists(pk) OR rev = :before" : "rev = :before",
            ExpressionAttributeValues: { ":before": record.rev - 1 },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionFailed) return false;
        throw error;
      }
    },

    /** A site's gather records with comments waiting that are due by `now`. */
    async listDueGathers(siteId: string, now: Date): Promise<GatherRecord[]> {
      const due: GatherRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await ctx.send(
          "listDueGathers",
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            FilterExpression: "dueAt <= :now",
            ExpressionAttributeValues: { ":pk": gatherPartition({ siteId }).pk, ":now": now.toISOString() },
            ExclusiveStartKey: startKey,
          }),
        );
        due.push(...(result.Items ?? []).map(itemToGather));
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return due;
    },

    /** When the site's moderator digest last went, or null. */
    async digestSentAt(siteId: string): Promise<string | null> {
      const item = await get("digestSentAt", digestKey({ siteId }));
      return typeof item?.lastSentAt === "string" ? item.lastSentAt : null;
    },

    /** Records that the site's digest went. */
    async recordDigestSent(siteId: string, at: Date): Promise<void> {
      await ctx.send("recordDigestSent", new PutCommand({ TableName: tableName, Item: digestItem({ siteId, lastSentAt: at.toISOString() }) }));
    },

    /** Adds an address (by its keyed hash) to the suppression list. */
    async suppressAddress(addressHash: string, reason: "bounce" | "complaint", at: Date): Promise<void> {
      await ctx.send("suppressAddress", new PutCommand({ TableName: tableName, Item: suppressionItem({ addressHash, reason, at: at.toISOString() }) }));
    },

    /** True when the address (by its keyed hash) bounced or complained. */
    async isAddressSuppressed(addressHash: string): Promise<boolean> {
      return (await get("isAddressSuppressed", suppressionKey({ addressHash }))) !== undefined;
    },
  };
}
