import type { Ban } from "@comments/core";
import { epochSeconds, itemHeader, optionalString, type Item, type WriteItem } from "./item.ts";

/**
 * Bans (`S#<site>` / `B#<banId>`) and their lookups (`X#<site>#<author hash or IP hash>` / `X`): a post checks
 * the two lookups of its author in one BatchGetItem; the site's bans are one Query. Expiring bans carry a TTL.
 */

/** The partition holding a site's bans. */
export const banPartition = ({ siteId }: { siteId: string }) => `S#${siteId}`;

/** Sort-key prefix of ban items in the site's ban partition. */
export const banSortPrefix = "B#";

/** The key of a ban. */
export const banKey = (input: { siteId: string; banId: string }) => ({ pk: banPartition(input), sk: `${banSortPrefix}${input.banId}` });

/** The key of the lookup that finds a ban by an author hash or IP hash. */
export const banLookupKey = ({ siteId, hash }: { siteId: string; hash: string }) => ({ pk: `X#${siteId}#${hash}`, sk: "X" });

/** True when a ban (or a lookup, which carries the ban's `expiresAt`) is in force at `now`. */
export const isInForce = (item: Item, now: Date) => item.expiresAt === null || item.expiresAt === undefined || new Date(String(item.expiresAt)) > now;

/** The items of a new ban: the ban and one lookup per distinct hash. */
export function banPuts(input: { siteId: string; ban: Ban; authorHash: string; ipHash: string }): WriteItem[] {
  const { siteId, ban } = input;
  const ttl = ban.expiresAt ? { ttl: epochSeconds(ban.expiresAt) } : {};
  const lookup = (hash: string): WriteItem => ({
    Put: { Item: { ...banLookupKey({ siteId, hash }), ...itemHeader("banLookup"), banId: ban.id, expiresAt: ban.expiresAt, ...ttl } },
  });
  return [
    {
      Put: {
        Item: {
          ...banKey({ siteId, banId: ban.id }),
          ...itemHeader("ban"),
          banId: ban.id,
          reason: ban.reason,
          createdAt: ban.createdAt,
          expiresAt: ban.expiresAt,
          threadId: ban.threadId,
          commentId: ban.commentId,
          authorName: ban.authorName,
          authorHash: input.authorHash,
          ipHash: input.ipHash,
          ...ttl,
        },
      },
    },
    lookup(input.authorHash),
    ...(input.ipHash !== input.authorHash ? [lookup(input.ipHash)] : []),
  ];
}

/** The deletes that lift a ban: the ban (must exist) and those of its lookups that still point to it. */
export function banDeletes(input: { siteId: string; banId: string; lookups: Item[] }): WriteItem[] {
  return [
    { Delete: { Key: banKey(input), ConditionExpression: "attribute_exists(pk)" } },
    ...input.lookups.map(
      (lookup): WriteItem => ({
        Delete: { Key: { pk: lookup.pk, sk: lookup.sk }, ConditionExpression: "banId = :id", ExpressionAttributeValues: { ":id": input.banId } },
      }),
    ),
  ];
}

/** Reads a ban item (hashes stay behind). */
export function itemToBan(item: Item): Ban {
  return {
    id: String(item.banId),
    reason: String(item.reason),
    createdAt: String(item.createdAt),
    expiresAt: optionalString(item.expiresAt),
    threadId: optionalString(item.threadId),
    commentId: optionalString(item.commentId),
    authorName: optionalString(item.authorName),
  };
}

/** Removes the author's name from a ban (erasure); the ban keeps working by its hashes. */
export const banAuthorScrub = (input: { ban: Item; authorName: string }) => ({
  Key: { pk: input.ban.pk, sk: input.ban.sk },
  UpdateExpression: "SET authorName = :name",
  ConditionExpression: "attribute_exists(pk)",
  ExpressionAttributeValues: { ":name": input.authorName },
});
