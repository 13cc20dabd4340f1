import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";

/**
 * What every entity module shares: the raw item type, the transaction-item shape the entities build (the table
 * name is filled in by `send.ts`), and the two attributes every item carries.
 */

/** A raw table item. */
export type Item = Record<string, unknown>;

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** One item of a `TransactWriteItems` call, without its `TableName` (added when it is sent). */
export type WriteItem = { [K in keyof TransactItem]?: Omit<NonNullable<TransactItem[K]>, "TableName"> };

/** The kinds of items in the table; every item carries its kind in `type`. */
export type EntityType =
  | "comment"
  | "thread"
  | "flag"
  | "author"
  | "ban"
  | "banLookup"
  | "audit"
  | "idempotency"
  | "rateWindow"
  | "moderatorKey"
  | "deletedComment"
  | "stats"
  | "subscription"
  | "subscriptionToken"
  | "mailAddress"
  | "mailGather"
  | "mailDigest"
  | "mailSuppression"
  | "pageRoot"
  | "pageReply"
  | "like";

/**
 * Schema version every item is written with (`v`). Items written before it existed have none and read as
 * version 1; a later change of an item's shape bumps it so readers can tell old items from new ones.
 */
export const schemaVersion = 1;

/** The `type` and `v` attributes of a new item. */
export const itemHeader = (type: EntityType) => ({ type, v: schemaVersion });

/** `SET` clauses and values that stamp `type` and `v` on an item written by an `UpdateItem`. */
export const headerUpdate = (type: EntityType) => ({
  set: "#type = :type, v = :v",
  names: { "#type": "type" },
  values: { ":type": type, ":v": schemaVersion },
});

/** Epoch seconds for DynamoDB TTL. */
export const epochSeconds = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000);

/** Reads an optional string attribute (absent and null both read as null). */
export const optionalString = (value: unknown) => (typeof value === "string" ? value : null);
