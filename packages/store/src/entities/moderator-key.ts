import { itemHeader, optionalString, type Item, type WriteItem } from "./item.ts";

/**
 * Moderator keys (`K#<keyId>` / `K`): the key's name, sites, role and secret hash (never the secret itself).
 * Each key also has a directory entry (`K` / `K#<keyId>`, without the hash) so admins can list keys with one
 * Query; revoking a key removes its entry.
 */

/** Who a key makes its holder: `moderator` decides comments, `admin` also manages the keys of its sites. */
export type ModeratorKeyRole = "moderator" | "admin";

/** A moderator key record (the secret itself is never stored, only its hash). */
export interface ModeratorKeyRecord {
  keyId: string;
  secretHash: string;
  name: string;
  sites: string[];
  /** Keys made before roles existed have none and read as `moderator`. */
  role: ModeratorKeyRole;
  createdAt: string;
  revokedAt: string | null;
}

/** A key as an admin sees it in the directory (no hash). */
export type ModeratorKeyListing = Omit<ModeratorKeyRecord, "secretHash" | "revokedAt">;

/** The key of a moderator key's item. */
export const moderatorKeyKey = ({ keyId }: { keyId: string }) => ({ pk: `K#${keyId}`, sk: "K" });

/** The partition of the key directory. */
export const keyDirectoryPartition = "K";

/** The key of a moderator key's directory entry. */
export const keyDirectoryKey = ({ keyId }: { keyId: string }) => ({ pk: keyDirectoryPartition, sk: `K#${keyId}` });

/** The item of a moderator key. */
export const moderatorKeyItem = (record: ModeratorKeyRecord): Item => ({ ...moderatorKeyKey(record), ...itemHeader("moderatorKey"), ...record });

/** The writes of a new key: the key (never overwritten) and its directory entry. */
export const newModeratorKeyPuts = (record: ModeratorKeyRecord): WriteItem[] => [
  { Put: { Item: moderatorKeyItem(record), ConditionExpression: "attribute_not_exists(pk)" } },
  {
    Put: {
      Item: {
        ...keyDirectoryKey(record),
        ...itemHeader("moderatorKey"),
        keyId: record.keyId,
        name: record.name,
        sites: record.sites,
        role: record.role,
        createdAt: record.createdAt,
      },
    },
  },
];

/** The writes that revoke a key (it must exist) and drop its directory entry. */
export const revokeWrites = (input: { keyId: string; at: string }): WriteItem[] => [
  {
    Update: {
      Key: moderatorKeyKey(input),
      UpdateExpression: "SET revokedAt = :at",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":at": input.at },
    },
  },
  { Delete: { Key: keyDirectoryKey(input) } },
];

const readRole = (value: unknown): ModeratorKeyRole => (value === "admin" ? "admin" : "moderator");

/** Reads a moderator key item. */
export function itemToModeratorKey(item: Item): ModeratorKeyRecord {
  return {
    keyId: String(item.keyId),
    secretHash: String(item.secretHash),
    name: String(item.name),
    sites: (item.sites as string[] | undefined) ?? [],
    role: readRole(item.role),
    createdAt: String(item.createdAt),
    revokedAt: optionalString(item.revokedAt),
  };
}

/** Reads a directory entry. */
export function itemToKeyListing(item: Item): ModeratorKeyListing {
  return {
    keyId: String(item.keyId),
    name: String(item.name),
    sites: (item.sites as string[] | undefined) ?? [],
    role: readRole(item.role),
    createdAt: String(item.createdAt),
  };
}
