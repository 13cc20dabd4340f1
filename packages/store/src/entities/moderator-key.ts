import { itemHeader, optionalString, type Item } from "./item.ts";

/** Moderator keys (`K#<keyId>` / `K`): the key's name, sites and secret hash (never the secret itself). */

/** A moderator key record (the secret itself is never stored, only its hash). */
export interface ModeratorKeyRecord {
  keyId: string;
  secretHash: string;
  name: string;
  sites: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** The key of a moderator key's item. */
export const moderatorKeyKey = ({ keyId }: { keyId: string }) => ({ pk: `K#${keyId}`, sk: "K" });

/** The item of a moderator key. */
export const moderatorKeyItem = (record: ModeratorKeyRecord): Item => ({ ...moderatorKeyKey(record), ...itemHeader("moderatorKey"), ...record });

/** Reads a moderator key item. */
export function itemToModeratorKey(item: Item): ModeratorKeyRecord {
  return {
    keyId: String(item.keyId),
    secretHash: String(item.secretHash),
    name: String(item.name),
    sites: (item.sites as string[] | undefined) ?? [],
    createdAt: String(item.createdAt),
    revokedAt: optionalString(item.revokedAt),
  };
}
