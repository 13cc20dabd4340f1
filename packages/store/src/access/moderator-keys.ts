import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Item } from "../entities/item.ts";
import {
  itemToKeyListing,
  itemToModeratorKey,
  keyDirectoryPartition,
  moderatorKeyKey,
  newModeratorKeyPuts,
  revokeWrites,
  type ModeratorKeyListing,
  type ModeratorKeyRecord,
} from "../entities/moderator-key.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/**
 * Moderator keys (pattern 13): stored by the moderator CLI or an admin, read on every moderation request;
 * the key directory (pattern 15) lists them for admins.
 */
export function moderatorKeyAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** Stores a moderator key record and its directory entry. */
    async putModeratorKey(record: ModeratorKeyRecord): Promise<void> {
      await ctx.transact("putModeratorKey", newModeratorKeyPuts(record));
    },

    /** A moderator key record by id, or null. */
    async getModeratorKey(keyId: string): Promise<ModeratorKeyRecord | null> {
      const result = await ctx.send("getModeratorKey", new GetCommand({ TableName: tableName, Key: moderatorKeyKey({ keyId }) }));
      return result.Item ? itemToModeratorKey(result.Item) : null;
    },

    /** Every key that is not revoked, oldest first (no hashes). */
    async listModeratorKeys(): Promise<ModeratorKeyListing[]> {
      const keys: ModeratorKeyListing[] = [];
      let startKey: Item | undefined;
      do {
        const result = await ctx.send(
          "listModeratorKeys",
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": keyDirectoryPartition },
            ExclusiveStartKey: startKey,
          }),
        );
        keys.push(...(result.Items ?? []).map(itemToKeyListing));
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return keys;
    },

    /** Revokes a moderator key; returns false when there is no such key. */
    async revokeModeratorKey(keyId: string, now: Date): Promise<boolean> {
      try {
        await ctx.transact("revokeModeratorKey", revokeWrites({ keyId, at: now.toISOString() }));
        return true;
      } catch (error) {
        if (error instanceof ConditionFailed) return false;
        throw error;
      }
    },
  };
}
