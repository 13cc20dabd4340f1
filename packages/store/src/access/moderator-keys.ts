import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { itemToModeratorKey, moderatorKeyItem, moderatorKeyKey, type ModeratorKeyRecord } from "../entities/moderator-key.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/** Moderator keys (pattern 13): stored by the moderator CLI, read on every moderation request. */
export function moderatorKeyAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** Stores a moderator key record. */
    async putModeratorKey(record: ModeratorKeyRecord): Promise<void> {
      await ctx.send(
        "putModeratorKey",
        new PutCommand({ TableName: tableName, Item: moderatorKeyItem(record), ConditionExpression: "attribute_not_exists(pk)" }),
      );
    },

    /** A moderator key record by id, or null. */
    async getModeratorKey(keyId: string): Promise<ModeratorKeyRecord | null> {
      const result = await ctx.send("getModeratorKey", new GetCommand({ TableName: tableName, Key: moderatorKeyKey({ keyId }) }));
      return result.Item ? itemToModeratorKey(result.Item) : null;
    },

    /** Revokes a moderator key; returns false when there is no such key. */
    async revokeModeratorKey(keyId: string, now: Date): Promise<boolean> {
      try {
        await ctx.send(
          "revokeModeratorKey",
          new UpdateCommand({
            TableName: tableName,
            Key: moderatorKeyKey({ keyId }),
            UpdateExpression: "SET revokedAt = :at",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":at": now.toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionFailed) return false;
        throw error;
      }
    },
  };
}
