import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { AppError, type AuditEntry, type Ban, type CommentStatus, type FlagReason, type StoredComment } from "@comments/core";
import { createBulkStore } from "./bulk.ts";
import { cancellationCodes, guard, untilProcessed, withConflictRetry } from "./failures.ts";
import { commentToItem, epochSeconds, flagReasonAttribute, itemToAudit, itemToBan, itemToComment, itemToPublicComment, threadPageProjection, type Item } from "./items.ts";
import { indexNames, keys, threadRangeEnd, threadSortKey } from "./table.ts";

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>[number];

/** Options for {@link createStore}. */
export interface StoreOptions {
  /** Called with the capacity units each call consumed (turns on `ReturnConsumedCapacity`). */
  onCapacity?: (operation: string, units: number) => void;
}

/** A thread's stored counters. */
export interface ThreadRecord {
  siteId: string;
  threadId: string;
  commentCount: number;
  /** Changes whenever the published set changes; the ETag is built from it. */
  version: number;
  firstCommentAt: string | null;
}

/** A stored idempotent answer. */
export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Conditions that must hold when a new comment is written (all-or-nothing with the comment). */
export interface CreateGuards {
  now: Date;
  idempotency?: { key: string; requestHash: string; status: number; body: unknown };
  rateLimit: { ipHash: string; perMinute: number; perHour: number };
  duplicate?: { digest: string; windowMinutes: number };
}

/** A moderator key record (the secret itself is never stored, only its hash). */
export interface ModeratorKeyRecord {
  keyId: string;
  secretHash: string;
  name: string;
  sites: string[];
  createdAt: string;
  revokedAt: string | null;
}

const hourMs = 3_600_000;
const minuteMs = 60_000;

/** Decodes a page cursor we produced; anything else is a validation error. */
function decodeKeyCursor(cursor: string, partition: string): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (key && typeof key === "object" && !Array.isArray(key)) {
      const values = Object.values(key);
      if (values.length >= 2 && values.length <= 4 && values.every((v) => typeof v === "string") && Object.values(key).includes(partition)) {
        return key as Item;
      }
    }
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "Invalid cursor", { fields: { cursor: "Invalid cursor" } });
}

const encodeKeyCursor = (key: Item | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString("base64url") : null);

/**
 * The DynamoDB adapter: every access pattern of `table.ts`, as domain operations.
 * Conditional failures become {@link AppError}s with the contract's codes.
 */
export function createStore(client: DynamoDBDocumentClient, tableName: string, options: StoreOptions = {}) {
  const capacity = options.onCapacity ? ({ ReturnConsumedCapacity: "TOTAL" } as const) : {};
  const record = (operation: string, consumed: { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined) => {
    if (!options.onCapacity || !consumed) return;
    const list = Array.isArray(consumed) ? consumed : [consumed];
    options.onCapacity(operation, list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0));
  };

  const threadFromItem = (item: Item | undefined, siteId: string, threadId: string): ThreadRecord => ({
    siteId,
    threadId,
    commentCount: typeof item?.commentCount === "number" ? item.commentCount : 0,
    version: typeof item?.version === "number" ? item.version : 0,
    firstCommentAt: (item?.firstCommentAt as string | undefined) ?? null,
  });

  /** `token` makes the SDK's own retries of a transaction idempotent (DynamoDB remembers it for 10 minutes). */
  const transact = async (operation: string, items: TransactItem[], token?: string) => {
    const result = await client.send(
      new TransactWriteCommand({ TransactItems: items, ...(token ? { ClientRequestToken: token } : {}), ...capacity }),
    );
    record(operation, result.ConsumedCapacity);
  };

  /**
   * Finds a comment by id whether it is published or hidden. A transactional read of both keys, so a
   * concurrent move between them (a decision) is never seen half-done.
   */
  async function getComment(siteId: string, threadId: string, commentId: string): Promise<StoredComment | null> {
    return guard(async () => {
      const result = await client.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName: tableName, Key: keys.publishedComment(siteId, threadId, commentId) } },
            { Get: { TableName: tableName, Key: keys.hiddenComment(siteId, threadId, commentId) } },
          ],
          ...capacity,
        }),
      );
      record("getComment", result.ConsumedCapacity);
      const item = result.Responses?.find((response) => response.Item)?.Item;
      return item ? itemToComment(item) : null;
    });
  }

  const threadUpdateForPublish = (comment: StoredComment, delta: 1 | -1): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: keys.thread(comment.siteId, comment.threadId),
      UpdateExpression:
        "SET siteId = :site, threadId = :thread, firstCommentAt = if_not_exists(firstCommentAt, :at) ADD commentCount :delta, version :one",
      ExpressionAttributeValues: { ":site": comment.siteId, ":thread": comment.threadId, ":at": comment.createdAt, ":delta": delta, ":one": 1 },
    },
  });

  const authorPublished = (comment: StoredComment): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: keys.author(comment.siteId, comment.authorHash),
      UpdateExpression: "ADD publishedCount :one",
      ExpressionAttributeValues: { ":one": 1 },
    },
  });

  const auditPut = (siteId: string, entry: AuditEntry, entryId: string): TransactItem => ({
    Put: { TableName: tableName, Item: { ...keys.audit(siteId, entry.at, entryId), type: "audit", ...entry } },
  });

  return {
    tableName,
    /** Imports, exports and readers' data requests (bulk.ts). */
    bulk: createBulkStore(client, tableName),

    /** Answers when the table can be read (health check). */
    async ping(): Promise<void> {
      await guard(() => client.send(new GetCommand({ TableName: tableName, Key: { pk: "health", sk: "health" } })));
    },

    /**
     * One page of a thread's published comments, oldest first.
     * First page: ONE Query that returns the thread item and the comments. Later pages: the Query plus a
     * GetItem of the thread item, in parallel.
     */
    async readThreadPage(siteId: string, threadId: string, page: { limit: number; afterId: string | null }) {
      return guard(async () => {
        const threadKey = keys.thread(siteId, threadId);
        const query = client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues: { ":pk": threadKey.pk, ":from": threadSortKey, ":to": threadRangeEnd },
            ...(page.afterId ? { ExclusiveStartKey: keys.publishedComment(siteId, threadId, page.afterId) } : {}),
            // The thread item on the first page, plus one more comment than asked to know if there is a next page.
            Limit: page.limit + (page.afterId ? 1 : 2),
            ...threadPageProjection,
            ...capacity,
          }),
        );
        const threadRead = page.afterId
          ? client.send(new GetCommand({ TableName: tableName, Key: threadKey, ...capacity }))
          : Promise.resolve(undefined);
        const [result, threadResult] = await Promise.all([query, threadRead]);
        record("readThreadPage", result.ConsumedCapacity);
        if (threadResult) record("readThreadPage", threadResult.ConsumedCapacity);
        const items = result.Items ?? [];
        const threadItem = page.afterId ? threadResult?.Item : items[0]?.sk === threadSortKey ? items[0] : undefined;
        const commentItems = items.filter((item) => item.sk !== threadSortKey);
        const hasMore = commentItems.length > page.limit;
        const comments = commentItems.slice(0, page.limit).map(itemToPublicComment);
        return {
          thread: threadFromItem(threadItem, siteId, threadId),
          comments,
          nextAfterId: hasMore ? (comments.at(-1)?.id ?? null) : null,
        };
      });
    },

    /** The thread item alone (one GetItem): enough to answer `If-None-Match`. */
    async getThread(siteId: string, threadId: string): Promise<ThreadRecord> {
      return guard(async () => {
        const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.thread(siteId, threadId), ...capacity }));
        record("getThread", result.ConsumedCapacity);
        return threadFromItem(result.Item, siteId, threadId);
      });
    },

    /** Published comment counts of up to 100 threads (BatchGetItem). */
    async countComments(siteId: string, threadIds: string[]): Promise<Record<string, number>> {
      const counts: Record<string, number> = Object.fromEntries(threadIds.map((id) => [id, 0]));
      const threadKeys: Item[] = [...new Set(threadIds)].map((id) => keys.thread(siteId, id));
      await untilProcessed(
        threadKeys,
        async (pending) => {
          const result = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: "threadId, commentCount" } }, ...capacity }),
          );
          record("countComments", result.ConsumedCapacity);
          for (const item of result.Responses?.[tableName] ?? []) counts[String(item.threadId)] = Number(item.commentCount ?? 0);
          return (result.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
        },
        5,
      );
      return counts;
    },

    getComment,

    /** A published comment of the thread, or null. */
    async getPublishedComment(siteId: string, threadId: string, commentId: string): Promise<StoredComment | null> {
      return guard(async () => {
        const result = await client.send(
          new GetCommand({ TableName: tableName, Key: keys.publishedComment(siteId, threadId, commentId), ConsistentRead: true }),
        );
        return result.Item ? itemToComment(result.Item) : null;
      });
    },

    /** A live idempotency record (expired ones still waiting for TTL count as absent). */
    async getIdempotency(siteId: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
      return guard(async () => {
        const result = await client.send(
          new GetCommand({ TableName: tableName, Key: keys.idempotency(siteId, key), ConsistentRead: true }),
        );
        const item = result.Item;
        if (!item || Number(item.ttl) <= epochSeconds(now)) return null;
        return { requestHash: String(item.requestHash), status: Number(item.status), body: JSON.parse(String(item.body)) };
      });
    },

    /**
     * How many comments this IP stored on the site in the current minute and hour windows, and when each
     * window ends.
     */
    async getRateWindows(siteId: string, ipHash: string, now: Date) {
      return guard(async () => {
        const minute = Math.floor(now.getTime() / minuteMs);
        const hour = Math.floor(now.getTime() / hourMs);
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: { Keys: [keys.rateMinute(siteId, ipHash, minute), keys.rateHour(siteId, ipHash, hour)], ConsistentRead: true },
            },
          }),
        );
        const items = result.Responses?.[tableName] ?? [];
        const count = (sk: string) => Number(items.find((i) => i.sk === sk)?.n ?? 0);
        return {
          minute: count(keys.rateMinute(siteId, ipHash, minute).sk),
          hour: count(keys.rateHour(siteId, ipHash, hour).sk),
          minuteEndsAt: (minute + 1) * minuteMs,
          hourEndsAt: (hour + 1) * hourMs,
        };
      });
    },

    /** True once one of the author's comments has been published on the site. */
    async authorHasPublished(siteId: string, authorHash: string): Promise<boolean> {
      return guard(async () => {
        const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.author(siteId, authorHash) }));
        return Number(result.Item?.publishedCount ?? 0) > 0;
      });
    },

    /** The active ban covering any of these hashes (author hash, IP hash), or null. */
    async findActiveBan(siteId: string, hashes: string[], now: Date): Promise<{ banId: string } | null> {
      return guard(async () => {
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: [...new Set(hashes)].map((h) => keys.banLookup(siteId, h)) } },
          }),
        );
        const active = (result.Responses?.[tableName] ?? []).find(
          (item) => item.expiresAt === null || item.expiresAt === undefined || new Date(String(item.expiresAt)) > now,
        );
        return active ? { banId: String(active.banId) } : null;
      });
    },

    /**
     * Stores a new comment together with its thread counter (when published), the idempotency record,
     * the rate-limit windows, the duplicate guard and the parent check — all in one transaction.
     * Throws `rate_limited`, `duplicate_comment` or `parent_not_found`; an idempotency race throws
     * {@link IdempotencyRace} so the caller can replay the winner's answer.
     */
    async createComment(comment: StoredComment, guards: CreateGuards): Promise<void> {
      const now = guards.now;
      const nowSeconds = epochSeconds(now);
      const items: TransactItem[] = [];
      const roles: string[] = [];
      const add = (role: string, item: TransactItem) => {
        roles.push(role);
        items.push(item);
      };

      add("comment", {
        Put: { TableName: tableName, Item: commentToItem(comment), ConditionExpression: "attribute_not_exists(pk)" },
      });
      if (comment.status === "published") {
        add("thread", threadUpdateForPublish(comment, 1));
        add("author", authorPublished(comment));
      } else if (comment.status === "pending") {
        add("thread", {
          Update: {
            TableName: tableName,
            Key: keys.thread(comment.siteId, comment.threadId),
            UpdateExpression: "SET siteId = :site, threadId = :thread, firstCommentAt = if_not_exists(firstCommentAt, :at)",
            ExpressionAttributeValues: { ":site": comment.siteId, ":thread": comment.threadId, ":at": comment.createdAt },
          },
        });
      }
      if (comment.parentId) {
        add("parent", {
          ConditionCheck: {
            TableName: tableName,
            Key: keys.publishedComment(comment.siteId, comment.threadId, comment.parentId),
            ConditionExpression: "attribute_exists(pk)",
          },
        });
      }
      if (guards.idempotency) {
        add("idempotency", {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.idempotency(comment.siteId, guards.idempotency.key),
              type: "idempotency",
              requestHash: guards.idempotency.requestHash,
              status: guards.idempotency.status,
              body: JSON.stringify(guards.idempotency.body),
              ttl: nowSeconds + 24 * 3600,
            },
            ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
            ExpressionAttributeNames: { "#ttl": "ttl" },
            ExpressionAttributeValues: { ":now": nowSeconds },
          },
        });
      }
      const minute = Math.floor(now.getTime() / minuteMs);
      const hour = Math.floor(now.getTime() / hourMs);
      for (const [role, key, limit, endsAt] of [
        ["rateMinute", keys.rateMinute(comment.siteId, guards.rateLimit.ipHash, minute), guards.rateLimit.perMinute, (minute + 1) * minuteMs],
        ["rateHour", keys.rateHour(comment.siteId, guards.rateLimit.ipHash, hour), guards.rateLimit.perHour, (hour + 1) * hourMs],
      ] as const) {
        add(role, {
          Update: {
            TableName: tableName,
            Key: key,
            UpdateExpression: "ADD n :one SET #ttl = :ttl, windowEndsAt = :ends",
            ConditionExpression: "attribute_not_exists(n) OR n < :limit",
            ExpressionAttributeNames: { "#ttl": "ttl" },
            ExpressionAttributeValues: { ":one": 1, ":limit": limit, ":ttl": Math.floor(endsAt / 1000) + 3600, ":ends": endsAt },
          },
        });
      }
      if (guards.duplicate && guards.duplicate.windowMinutes > 0) {
        const expires = nowSeconds + guards.duplicate.windowMinutes * 60;
        add("duplicate", {
          Put: {
            TableName: tableName,
            Item: { ...keys.duplicate(comment.siteId, comment.threadId, guards.duplicate.digest), type: "duplicate", ttl: expires },
            ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
            ExpressionAttributeNames: { "#ttl": "ttl" },
            ExpressionAttributeValues: { ":now": nowSeconds },
          },
        });
      }

      try {
        await guard(() => withConflictRetry((attempt) => transact("createComment", items, `${comment.id}-${attempt}`)));
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const failed = new Set(roles.filter((_, i) => codes[i] === "ConditionalCheckFailed"));
        // Ids are random: an existing item with this id is our own earlier attempt, whose answer was lost.
        if (failed.has("comment")) return;
        if (failed.has("idempotency")) throw new IdempotencyRace();
        if (failed.has("rateMinute") || failed.has("rateHour")) {
          const endsAt = failed.has("rateMinute") ? (minute + 1) * minuteMs : (hour + 1) * hourMs;
          throw rateLimited(endsAt, now);
        }
        if (failed.has("duplicate")) {
          throw new AppError("duplicate_comment", "You have already posted this comment.");
        }
        if (failed.has("parent")) throw new AppError("parent_not_found", "The comment you are replying to does not exist.");
        throw new AppError("unavailable", "The comment store is busy. Please try again shortly.", { retryAfter: 1, cause: error });
      }
    },

    /**
     * Applies a moderator's decision to a comment awaiting one. The status condition makes concurrent
     * decisions safe: exactly one wins, the others get `409 already_decided`.
     */
    async decide(input: {
      siteId: string;
      threadId: string;
      commentId: string;
      toStatus: "published" | "rejected" | "spam";
      moderator: string;
      action: string;
      note: string | null;
      now: Date;
      auditId: string;
    }): Promise<StoredComment> {
      const current = await getComment(input.siteId, input.threadId, input.commentId);
      if (!current) throw new AppError("comment_not_found", "Comment not found.");
      if (current.queuedAt === null) throw alreadyDecided(current);

      const at = input.now.toISOString();
      const next: StoredComment = {
        ...current,
        status: input.toStatus,
        queuedAt: null,
        ...(input.toStatus === "published" && current.status === "published" ? { flags: 0, flagReasons: {} } : {}),
      };
      const audit: AuditEntry = {
        at,
        moderator: input.moderator,
        action: input.action,
        threadId: input.threadId,
        commentId: input.commentId,
        fromStatus: current.status,
        toStatus: input.toStatus,
        note: input.note,
      };
      const stillQueued = {
        ConditionExpression: "#status = :from AND attribute_exists(gsi1pk)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":from": current.status },
      };
      const oldKey = commentToItem(current);
      const newItem = { ...commentToItem({ ...next, decidedBy: input.moderator }), decidedAt: at };
      const items: TransactItem[] = [];
      const movesRange = (current.status === "published") !== (next.status === "published");
      if (movesRange) {
        items.push({ Delete: { TableName: tableName, Key: { pk: oldKey.pk, sk: oldKey.sk }, ...stillQueued } });
        items.push({ Put: { TableName: tableName, Item: newItem } });
        items.push(threadUpdateForPublish(current, next.status === "published" ? 1 : -1));
        if (next.status === "published") items.push(authorPublished(current));
      } else {
        items.push({ Put: { TableName: tableName, Item: newItem, ...stillQueued } });
      }
      items.push(auditPut(input.siteId, audit, input.auditId));

      try {
        await guard(() => withConflictRetry((attempt) => transact("decide", items, `${input.auditId}-${attempt}`)));
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] !== "ConditionalCheckFailed") throw error;
        const now = await getComment(input.siteId, input.threadId, input.commentId);
        if (!now) throw new AppError("comment_not_found", "Comment not found.");
        throw alreadyDecided(now);
      }
      return { ...next, decidedBy: input.moderator };
    },

    /**
     * Records a reader's flag (one per IP hash and comment). When the comment reaches `threshold`
     * distinct flaggers it enters the moderation queue and stays published. Returns true when this flag
     * put the comment in the queue.
     */
    async addFlag(input: {
      siteId: string;
      threadId: string;
      commentId: string;
      ipHash: string;
      reason: FlagReason;
      threshold: number;
      now: Date;
    }): Promise<{ queued: boolean; comment: StoredComment | null }> {
      const commentKey = keys.publishedComment(input.siteId, input.threadId, input.commentId);
      const at = input.now.toISOString();
      try {
        await guard(() =>
          withConflictRetry(() =>
            transact("addFlag", [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.flag(input.siteId, input.threadId, input.commentId, input.ipHash), type: "flag", reason: input.reason, at },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: commentKey,
                  UpdateExpression: "ADD flags :one, #reason :one",
                  ConditionExpression: "attribute_exists(pk) AND #status = :published",
                  ExpressionAttributeNames: { "#reason": flagReasonAttribute(input.reason), "#status": "status" },
                  ExpressionAttributeValues: { ":one": 1, ":published": "published" },
                },
              },
            ]),
          ),
        );
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (codes[1] === "ConditionalCheckFailed") throw new AppError("comment_not_found", "Comment not found.");
        if (codes[0] === "ConditionalCheckFailed") return { queued: false, comment: null }; // this reader flagged it already
        throw error;
      }
      try {
        const result = await guard(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: commentKey,
              UpdateExpression:
                "SET gsi1pk = :qpk, gsi1sk = :qsk, queuedAt = :at, reasons = list_append(if_not_exists(reasons, :empty), :reason), details = list_append(if_not_exists(details, :empty), :detail)",
              ConditionExpression: "flags >= :threshold AND attribute_not_exists(gsi1pk) AND #status = :published",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ...Object.fromEntries(Object.entries(keys.queue(input.siteId, at, input.commentId)).map(([k, v]) => [k === "gsi1pk" ? ":qpk" : ":qsk", v])),
                ":at": at,
                ":empty": [],
                ":reason": ["reader_flags"],
                ":detail": [`flagged by ${input.threshold} or more readers`],
                ":threshold": input.threshold,
                ":published": "published",
              },
              ReturnValues: "ALL_NEW",
            }),
          ),
        );
        return { queued: true, comment: result.Attributes ? itemToComment(result.Attributes) : null };
      } catch (error) {
        if ((error as { name?: string }).name === "ConditionalCheckFailedException") return { queued: false, comment: null };
        throw error;
      }
    },

    /** The moderation queue of a site, oldest first (sparse GSI). */
    async listQueue(siteId: string, limit: number, cursor: string | null) {
      return guard(async () => {
        const partition = keys.queuePartition(siteId);
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: indexNames.queue,
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": partition },
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: decodeKeyCursor(cursor, partition) } : {}),
            ...capacity,
          }),
        );
        record("listQueue", result.ConsumedCapacity);
        return { items: (result.Items ?? []).map(itemToComment), nextCursor: encodeKeyCursor(result.LastEvaluatedKey) };
      });
    },

    /** The audit log of a site, newest first. */
    async listAudit(siteId: string, limit: number, cursor: string | null) {
      return guard(async () => {
        const partition = keys.auditPartition(siteId);
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": partition },
            ScanIndexForward: false,
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: decodeKeyCursor(cursor, partition) } : {}),
          }),
        );
        return { items: (result.Items ?? []).map(itemToAudit), nextCursor: encodeKeyCursor(result.LastEvaluatedKey) };
      });
    },

    /** Appends an audit entry outside a decision (bans, data requests). */
    async appendAudit(siteId: string, entry: AuditEntry, entryId: string): Promise<void> {
      await guard(() => client.send(new PutCommand({ TableName: tableName, Item: { ...keys.audit(siteId, entry.at, entryId), type: "audit", ...entry } })));
    },

    /** Bans an author by author hash and IP hash; both lookups and the ban are written together. */
    async createBan(input: {
      siteId: string;
      ban: Ban;
      authorHash: string;
      ipHash: string;
      audit: AuditEntry;
      auditId: string;
    }): Promise<void> {
      const { siteId, ban } = input;
      const ttl = ban.expiresAt ? { ttl: epochSeconds(ban.expiresAt) } : {};
      const lookup = (hash: string): TransactItem => ({
        Put: {
          TableName: tableName,
          Item: { ...keys.banLookup(siteId, hash), type: "banLookup", banId: ban.id, expiresAt: ban.expiresAt, ...ttl },
        },
      });
      await guard(() =>
        transact("createBan", [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.ban(siteId, ban.id),
                type: "ban",
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
          auditPut(siteId, input.audit, input.auditId),
        ]),
      );
    },

    /** Active bans of a site, newest first. */
    async listBans(siteId: string, now: Date): Promise<Ban[]> {
      return guard(async () => {
        const bans: Ban[] = [];
        let startKey: Item | undefined;
        do {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: "pk = :pk AND begins_with(sk, :b)",
              ExpressionAttributeValues: { ":pk": keys.banPartition(siteId), ":b": "B#" },
              ScanIndexForward: false,
              ExclusiveStartKey: startKey,
            }),
          );
          bans.push(...(result.Items ?? []).map(itemToBan));
          startKey = result.LastEvaluatedKey;
        } while (startKey);
        return bans.filter((ban) => ban.expiresAt === null || new Date(ban.expiresAt) > now);
      });
    },

    /** Lifts a ban (and its lookups). Throws `ban_not_found` for an unknown or expired ban. */
    async deleteBan(siteId: string, banId: string, now: Date, audit: { entry: AuditEntry; id: string }): Promise<void> {
      const found = await guard(() => client.send(new GetCommand({ TableName: tableName, Key: keys.ban(siteId, banId), ConsistentRead: true })));
      const item = found.Item;
      if (!item || (item.expiresAt && new Date(String(item.expiresAt)) <= now)) {
        throw new AppError("ban_not_found", "Ban not found.");
      }
      const hashes = [...new Set([String(item.authorHash), String(item.ipHash)])];
      const lookups = await guard(() =>
        client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: hashes.map((h) => keys.banLookup(siteId, h)), ConsistentRead: true } } })),
      );
      const ours = (lookups.Responses?.[tableName] ?? []).filter((l) => l.banId === banId);
      try {
        await guard(() =>
          transact("deleteBan", [
            { Delete: { TableName: tableName, Key: keys.ban(siteId, banId), ConditionExpression: "attribute_exists(pk)" } },
            ...ours.map(
              (l): TransactItem => ({
                Delete: {
                  TableName: tableName,
                  Key: { pk: l.pk, sk: l.sk },
                  ConditionExpression: "banId = :id",
                  ExpressionAttributeValues: { ":id": banId },
                },
              }),
            ),
            auditPut(siteId, audit.entry, audit.id),
          ]),
        );
      } catch (error) {
        if (cancellationCodes(error)?.[0] === "ConditionalCheckFailed") throw new AppError("ban_not_found", "Ban not found.");
        throw error;
      }
    },

    /** Stores a moderator key record. */
    async putModeratorKey(key: ModeratorKeyRecord): Promise<void> {
      await guard(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.moderatorKey(key.keyId), type: "moderatorKey", ...key },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    /** A moderator key record by id, or null. */
    async getModeratorKey(keyId: string): Promise<ModeratorKeyRecord | null> {
      return guard(async () => {
        const result = await client.send(new GetCommand({ TableName: tableName, Key: keys.moderatorKey(keyId) }));
        const item = result.Item;
        if (!item) return null;
        return {
          keyId: String(item.keyId),
          secretHash: String(item.secretHash),
          name: String(item.name),
          sites: (item.sites as string[]) ?? [],
          createdAt: String(item.createdAt),
          revokedAt: (item.revokedAt as string | null | undefined) ?? null,
        };
      });
    },

    /** Revokes a moderator key; returns false when there is no such key. */
    async revokeModeratorKey(keyId: string, now: Date): Promise<boolean> {
      try {
        await guard(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.moderatorKey(keyId),
              UpdateExpression: "SET revokedAt = :at",
              ConditionExpression: "attribute_exists(pk)",
              ExpressionAttributeValues: { ":at": now.toISOString() },
            }),
          ),
        );
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === "ConditionalCheckFailedException") return false;
        throw error;
      }
    },

  };
}

/** The store's API as used by the app. */
export type Store = ReturnType<typeof createStore>;

/** Another request with the same idempotency key won the race; replay its stored answer. */
export class IdempotencyRace extends Error {
  constructor() {
    super("idempotency race");
    this.name = "IdempotencyRace";
  }
}

function alreadyDecided(comment: StoredComment): AppError {
  const by = comment.decidedBy ? ` by ${comment.decidedBy}` : "";
  return new AppError("already_decided", `This comment was already decided${by} (it is ${comment.status}).`, {
    extra: { status: comment.status, decidedBy: comment.decidedBy ?? null },
  });
}

function rateLimited(endsAtMs: number, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((endsAtMs - now.getTime()) / 1000));
  return new AppError("rate_limited", `Too many comments. Please wait ${seconds} seconds and try again.`, { retryAfter: seconds });
}

export { rateLimited };

/** Status values a decision may set. */
export type DecisionStatus = Extract<CommentStatus, "published" | "rejected" | "spam">;
