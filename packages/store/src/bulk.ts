import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { AuditEntry, StoredComment } from "@comments/core";
import type { ThreadRecord } from "./dynamo.ts";
import { cancellationCodes, guard, untilProcessed, withConflictRetry } from "./failures.ts";
import { commentToItem, itemToComment, type Item } from "./items.ts";
import { indexNames, keys, threadSortKey } from "./table.ts";

/** The name an erased comment shows instead of its author's. */
export const erasedAuthorName = "[deleted]";
/** The body an erased comment shows instead of its text. */
export const erasedBodyHtml = "<p><em>[deleted]</em></p>";

/** A comment reference inside a site. */
export interface CommentRef {
  threadId: string;
  id: string;
}

/** The outcome of {@link BulkStore.recountThread}. */
export interface RecountResult extends ThreadRecord {
  /** True when the stored counters changed. */
  changed: boolean;
}

const batchWriteSize = 25;
const batchGetKeys = 100;
const refKey = (threadId: string, id: string) => `${threadId}\n${id}`;


/** The item an erased comment leaves behind: same place in its thread, no personal data, no author index entry. */
export function erasedCommentItem(comment: StoredComment, at?: string): Item {
  const item = commentToItem({
    ...comment,
    authorName: erasedAuthorName,
    authorEmail: null,
    authorUrl: null,
    authorHash: "",
    ipHash: "",
    body: "",
    bodyHtml: erasedBodyHtml,
    details: [],
    captchaScore: null,
    // Nothing is left to decide about: an erased comment leaves the moderation queue.
    queuedAt: null,
  });
  delete item.gsi2pk;
  delete item.gsi2sk;
  return at === undefined ? item : { ...item, erasedAt: at };
}

/** True for the placeholder of an erased comment. */
export const isErased = (comment: StoredComment) => comment.authorHash === "" && comment.bodyHtml === erasedBodyHtml;

/**
 * Operations over many items at once, for imports, exports and readers' data requests (access patterns 1, 7 and
 * a Scan for the site export). Writes use BatchWriteItem in batches of 25 and retry unprocessed items with backoff.
 */
export function createBulkStore(client: DynamoDBDocumentClient, tableName: string) {
  /** BatchGetItem of any number of keys (100 per call), retrying unprocessed keys. */
  async function batchGet(allKeys: Item[], projection?: string): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < allKeys.length; start += batchGetKeys) {
      await untilProcessed(allKeys.slice(start, start + batchGetKeys), async (pending) => {
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) } },
          }),
        );
        found.push(...(result.Responses?.[tableName] ?? []));
        return (result.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
      });
    }
    return found;
  }

  /** Every item of a partition (all pages). */
  async function queryPartition(pk: string, projection?: { expression: string; names?: Record<string, string> }): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const result = await guard(() =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": pk },
            ConsistentRead: true,
            ...(projection ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names } : {}),
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  const isCommentItem = (item: Item) => typeof item.sk === "string" && (item.sk.startsWith("C#") || item.sk.startsWith("H#"));

  return {
    /** Which of these comments already exist in the site, published or hidden (keys `threadId\nid`). */
    async existingComments(siteId: string, refs: CommentRef[]): Promise<Set<string>> {
      const commentKeys = refs.flatMap((ref) => [
        keys.publishedComment(siteId, ref.threadId, ref.id),
        keys.hiddenComment(siteId, ref.threadId, ref.id),
      ]);
      const found = await batchGet(commentKeys, "threadId, id");
      return new Set(found.map((item) => refKey(String(item.threadId), String(item.id))));
    },

    /**
     * Writes new comment items with BatchWriteItem (25 per call), retrying unprocessed items. Each item carries
     * `importedAt` (so stream consumers can tell an import from a reader's post). Counters are not touched: call
     * {@link recountThread} for each thread afterwards.
     */
    async putComments(comments: StoredComment[], importedAt: string): Promise<void> {
      for (let start = 0; start < comments.length; start += batchWriteSize) {
        const items = comments
          .slice(start, start + batchWriteSize)
          .map((comment) => ({ PutRequest: { Item: { ...(isErased(comment) ? erasedCommentItem(comment) : commentToItem(comment)), importedAt } } }));
        await untilProcessed(items, async (pending) => {
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          return (result.UnprocessedItems?.[tableName] as typeof pending | undefined) ?? [];
        });
      }
    },

    /**
     * Sets a thread's `commentCount` and `firstCommentAt` from the comments it holds, and bumps `version` when
     * they changed or `bump` is set. The write is conditional on the version read, so a comment posted meanwhile
     * makes it count again rather than be lost.
     */
    async recountThread(siteId: string, threadId: string, options: { bump?: boolean } = {}): Promise<RecountResult> {
      const pk = keys.thread(siteId, threadId).pk;
      for (let attempt = 0; ; attempt++) {
        const items = await queryPartition(pk, {
          expression: "sk, #status, createdAt, commentCount, version, firstCommentAt",
          names: { "#status": "status" },
        });
        const thread = items.find((item) => item.sk === threadSortKey);
        const comments = items.filter(isCommentItem);
        const count = comments.filter((item) => String(item.sk).startsWith("C#")).length;
        const firstAt = [
          ...comments.filter((item) => item.status === "published" || item.status === "pending").map((item) => String(item.createdAt)),
          ...(typeof thread?.firstCommentAt === "string" ? [thread.firstCommentAt] : []),
        ].sort()[0] ?? null;
        const before: ThreadRecord = {
          siteId,
          threadId,
          commentCount: typeof thread?.commentCount === "number" ? thread.commentCount : 0,
          version: typeof thread?.version === "number" ? thread.version : 0,
          firstCommentAt: typeof thread?.firstCommentAt === "string" ? thread.firstCommentAt : null,
        };
        const changed = before.commentCount !== count || before.firstCommentAt !== firstAt;
        if (!changed && !options.bump) return { ...before, changed: false };
        if (!thread && count === 0 && firstAt === null) return { ...before, changed: false };
        const version = before.version + 1;
        try {
          await guard(() =>
            client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: keys.thread(siteId, threadId),
                UpdateExpression: "SET siteId = :site, threadId = :thread, commentCount = :count, version = :version" +
                  (firstAt === null ? "" : ", firstCommentAt = :first"),
                ConditionExpression: thread?.version === undefined ? "attribute_not_exists(version)" : "version = :seen",
                ExpressionAttributeValues: {
                  ":site": siteId,
                  ":thread": threadId,
                  ":count": count,
                  ":version": version,
                  ...(firstAt === null ? {} : { ":first": firstAt }),
                  ...(thread?.version === undefined ? {} : { ":seen": thread.version }),
                },
              }),
            ),
          );
          return { siteId, threadId, commentCount: count, version, firstCommentAt: firstAt, changed };
        } catch (error) {
          if ((error as { name?: string }).name !== "ConditionalCheckFailedException" || attempt >= 5) throw error;
        }
      }
    },

    /** Records published comments of authors (so first-comment pre-moderation knows them). */
    async addAuthorsPublished(siteId: string, counts: ReadonlyMap<string, number>): Promise<void> {
      for (const [authorHash, count] of counts) {
        if (count <= 0) continue;
        await guard(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.author(siteId, authorHash),
              UpdateExpression: "ADD publishedCount :n",
              ExpressionAttributeValues: { ":n": count },
            }),
          ),
        );
      }
    },

    /** Every thread of a site that holds comments or counters (one paginated Scan of the table). */
    async listThreadIds(siteId: string, onPage?: (scanned: number) => void): Promise<string[]> {
      const threads = new Set<string>();
      const prefix = keys.thread(siteId, "").pk;
      let startKey: Item | undefined;
      let scanned = 0;
      do {
        const result = await guard(() =>
          client.send(
            new ScanCommand({
              TableName: tableName,
              FilterExpression: "begins_with(pk, :prefix) AND (sk = :thread OR begins_with(sk, :published) OR begins_with(sk, :hidden))",
              ExpressionAttributeValues: { ":prefix": prefix, ":thread": threadSortKey, ":published": "C#", ":hidden": "H#" },
              ProjectionExpression: "pk",
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of result.Items ?? []) threads.add(String(item.pk).slice(prefix.length));
        scanned += result.ScannedCount ?? 0;
        onPage?.(scanned);
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      return [...threads].sort();
    },

    /** A thread's counters and all its comments, published and hidden, oldest first. */
    async readThread(siteId: string, threadId: string): Promise<{ thread: ThreadRecord; comments: StoredComment[] }> {
      const items = await queryPartition(keys.thread(siteId, threadId).pk);
      const thread = items.find((item) => item.sk === threadSortKey);
      const comments = items.filter(isCommentItem).map(itemToComment);
      comments.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return {
        thread: {
          siteId,
          threadId,
          commentCount: typeof thread?.commentCount === "number" ? thread.commentCount : 0,
          version: typeof thread?.version === "number" ? thread.version : 0,
          firstCommentAt: typeof thread?.firstCommentAt === "string" ? thread.firstCommentAt : null,
        },
        comments,
      };
    },

    /** Every comment of an author on a site, oldest first (Query of the author index, then BatchGetItem). */
    async findAuthorComments(siteId: string, authorHash: string): Promise<StoredComment[]> {
      const commentKeys: Item[] = [];
      let startKey: Item | undefined;
      do {
        const result = await guard(() =>
          client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: indexNames.author,
              KeyConditionExpression: "gsi2pk = :pk",
              ExpressionAttributeValues: { ":pk": keys.authorCommentsPartition(siteId, authorHash) },
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of result.Items ?? []) commentKeys.push({ pk: item.pk, sk: item.sk });
        startKey = result.LastEvaluatedKey;
      } while (startKey);
      // The index is eventually consistent: keep only items that still belong to the author.
      const comments = (await batchGet(commentKeys)).filter(isCommentItem).map(itemToComment).filter((c) => c.authorHash === authorHash);
      return comments.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    /**
     * Replaces a comment by its erased placeholder, bumps the thread's version when the comment is published
     * (the count stays: the placeholder stays visible) and appends the audit entry, in one transaction.
     * Returns false when the comment changed since it was read (the caller reads it again).
     */
    async eraseComment(comment: StoredComment, audit: { entry: AuditEntry; id: string }): Promise<boolean> {
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
        {
          Put: {
            TableName: tableName,
            Item: erasedCommentItem(comment, audit.entry.at),
            ConditionExpression: "#status = :status AND authorHash = :hash",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":status": comment.status, ":hash": comment.authorHash },
          },
        },
        { Put: { TableName: tableName, Item: { ...keys.audit(comment.siteId, audit.entry.at, audit.id), type: "audit", ...audit.entry } } },
      ];
      if (comment.status === "published") {
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.thread(comment.siteId, comment.threadId),
            UpdateExpression: "ADD version :one",
            ExpressionAttributeValues: { ":one": 1 },
          },
        });
      }
      try {
        await guard(() => withConflictRetry(() => client.send(new TransactWriteCommand({ TransactItems: items }))));
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === "ConditionalCheckFailed") return false;
        throw error;
      }
    },

    /**
     * Forgets what is kept about an author besides comments: the "has published" record goes, and bans of the
     * author keep working but no longer name them.
     */
    async forgetAuthor(siteId: string, authorHash: string): Promise<void> {
      await guard(() => client.send(new DeleteCommand({ TableName: tableName, Key: keys.author(siteId, authorHash) })));
      const bans = (await queryPartition(keys.banPartition(siteId))).filter((item) => item.authorHash === authorHash && item.authorName !== erasedAuthorName);
      for (const ban of bans) {
        await guard(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: ban.pk, sk: ban.sk },
              UpdateExpression: "SET authorName = :name",
              ConditionExpression: "attribute_exists(pk)",
              ExpressionAttributeValues: { ":name": erasedAuthorName },
            }),
          ),
        ).catch((error: unknown) => {
          // The ban expired or was lifted meanwhile: nothing left to scrub.
          if ((error as { name?: string }).name !== "ConditionalCheckFailedException") throw error;
        });
      }
    },
  };
}

/** Bulk operations over the table (see {@link createBulkStore}). */
export type BulkStore = ReturnType<typeof createBulkStore>;
