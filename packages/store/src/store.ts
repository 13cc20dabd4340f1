import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { banAccess } from "./access/bans.ts";
import { bulkReads } from "./access/bulk-reads.ts";
import { bulkWrites } from "./access/bulk-writes.ts";
import { commentAccess } from "./access/comments.ts";
import { editAccess } from "./access/edits.ts";
import { featuredAccess } from "./access/featured.ts";
import { idempotencyAccess } from "./access/idempotency.ts";
import { likeAccess } from "./access/likes.ts";
import { moderationAccess } from "./access/moderation.ts";
import { authorCommentAccess } from "./access/mod-context.ts";
import { moderatorKeyAccess } from "./access/moderator-keys.ts";
import { statsAccess } from "./access/stats.ts";
import { mailStateAccess } from "./access/mail-state.ts";
import { subscriptionAccess } from "./access/subscriptions.ts";
import { pageAccess } from "./access/pages.ts";
import { threadAccess } from "./access/threads.ts";
import { timelineAccess } from "./access/timeline.ts";
import { createStoreContext, type CapacityListener } from "./send.ts";

/** Options for {@link createStore}. */
export interface StoreOptions {
  /** Called with the capacity units each call consumed (turns on `ReturnConsumedCapacity`). */
  onCapacity?: CapacityListener;
}

/**
 * The DynamoDB adapter: every access pattern of `table.ts`, as domain operations, composed from one access
 * module per aggregate over the same client, table and `send` wrapper. Failed conditions become
 * `AppError`s with the contract's codes.
 * @example const store = createStore(createClients({ endpoint }).documentClient, "comments");
 */
export function createStore(client: DynamoDBDocumentClient, tableName: string, options: StoreOptions = {}) {
  const ctx = createStoreContext(client, tableName, options.onCapacity);
  return {
    tableName,
    /** Imports, exports and readers' data requests. */
    bulk: createBulkStore(client, tableName, options),
    ...threadAccess(ctx),
    ...pageAccess(ctx),
    ...commentAccess(ctx),
    ...editAccess(ctx),
    ...likeAccess(ctx),
    ...featuredAccess(ctx),
    ...idempotencyAccess(ctx),
    ...banAccess(ctx),
    ...moderationAccess(ctx),
    ...moderatorKeyAccess(ctx),
    ...authorCommentAccess(ctx),
    ...statsAccess(ctx),
    ...subscriptionAccess(ctx),
    ...mailStateAccess(ctx),
    ...timelineAccess(ctx),
  };
}

/** The store's API as used by the app. */
export type Store = ReturnType<typeof createStore>;

/**
 * Operations over many items at once, for imports, exports and readers' data requests (access patterns 1, 7 and
 * a Scan for the site export).
 */
export function createBulkStore(client: DynamoDBDocumentClient, tableName: string, options: StoreOptions = {}) {
  const ctx = createStoreContext(client, tableName, options.onCapacity);
  return { ...bulkReads(ctx), ...bulkWrites(ctx) };
}

/** Bulk operations over the table (see {@link createBulkStore}). */
export type BulkStore = ReturnType<typeof createBulkStore>;
