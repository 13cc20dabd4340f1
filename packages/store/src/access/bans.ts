import { BatchGetCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { AppError, type AuditEntry, type Ban } from "@comments/core";
import { auditPut } from "../entities/audit.ts";
import { banDeletes, banKey, banLookupKey, banPartition, banPuts, banSortPrefix, isInForce, itemToBan } from "../entities/ban.ts";
import type { Item } from "../entities/item.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/** Bans: the check on every post (pattern 10), the site's list (pattern 11), banning and lifting. */
export function banAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** The active ban covering any of these hashes (author hash, IP hash), or null. */
    async findActiveBan(siteId: string, hashes: string[], now: Date): Promise<{ banId: string } | null> {
      // Shares one BatchGetItem with the other checks of a post asked for at the same time (rate windows).
      const lookups = await ctx.getTogether("findActiveBan", [...new Set(hashes)].map((hash) => banLookupKey({ siteId, hash })));
      const active = lookups.find((item) => isInForce(item, now));
      return active ? { banId: String(active.banId) } : null;
    },

    /** Bans an author by author hash and IP hash; both lookups, the ban and its audit entry are written together. */
    async createBan(input: { siteId: string; ban: Ban; authorHash: string; ipHash: string; audit: AuditEntry; auditId: string }): Promise<void> {
      await ctx.transact("createBan", [...banPuts(input), auditPut({ siteId: input.siteId, entry: input.audit, entryId: input.auditId })]);
    },

    /** Active bans of a site, newest first. */
    async listBans(siteId: string, now: Date): Promise<Ban[]> {
      const bans: Ban[] = [];
      let startKey: Item | undefined;
      do {
        const result = await ctx.send(
          "listBans",
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :b)",
            ExpressionAttributeValues: { ":pk": banPartition({ siteId }), ":b": banSortPrefix },
            ScanIndexForward: false,
            ExclusiveStartKey: startKey,
          }),
        );
        bans.push(...(result.Items ?? []).map(itemToBan));
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return bans.filter((ban) => ban.expiresAt === null || new Date(ban.expiresAt) > now);
    },

    /** Lifts a ban (and its lookups). Throws `ban_not_found` for an unknown or expired ban. */
    async deleteBan(siteId: string, banId: string, now: Date, audit: { entry: AuditEntry; id: string }): Promise<void> {
      const found = await ctx.send("deleteBan", new GetCommand({ TableName: tableName, Key: banKey({ siteId, banId }), ConsistentRead: true }));
      const item = found.Item;
      if (!item || !isInForce(item, now)) throw new AppError("ban_not_found", "Ban not found.");
      const hashes = [...new Set([String(item.authorHash), String(item.ipHash)])];
      const lookups = await ctx.send(
        "deleteBan",
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: hashes.map((hash) => banLookupKey({ siteId, hash })), ConsistentRead: true } } }),
      );
      const ours = (lookups.Responses?.[tableName] ?? []).filter((lookup) => lookup.banId === banId);
      try {
        await ctx.transact("deleteBan", [...banDeletes({ siteId, banId, lookups: ours }), auditPut({ siteId, entry: audit.entry, entryId: audit.id })]);
      } catch (error) {
        if (error instanceof ConditionFailed && error.failedAt(0)) throw new AppError("ban_not_found", "Ban not found.");
        throw error;
      }
    },
  };
}
