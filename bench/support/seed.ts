import { randomBytes } from "node:crypto";
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { newId, renderBody, type StoredComment } from "@comments/core";
import { pageRootItem, threadKey, threadSortHeads } from "@comments/store";
import { commentToItem, type Item } from "@comments/store";

/** A comment body of typical length (about 250 characters), a little different each time. */
export function sampleBody(n: number): string {
  return (
    `Comment ${n}: the council vote on the new bus lanes was closer than the article suggests. ` +
    `Three members changed their minds after the *public hearing*, and the budget figures quoted ` +
    `come from last year's plan, not this one.`
  );
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** A published comment as the API would have stored it, created at `createdMs`. */
export function sampleComment(siteId: string, threadId: string, n: number, createdMs: number): StoredComment {
  const body = sampleBody(n);
  return {
    siteId,
    threadId,
    id: newId(createdMs),
    parentId: null,
    authorName: `Reader ${n % 97}`,
    authorEmail: null,
    authorUrl: null,
    authorHash: hex(16),
    ipHash: hex(16),
    body,
    bodyHtml: renderBody(body),
    createdAt: new Date(createdMs).toISOString(),
    status: "published",
    reasons: [],
    details: [],
    captchaScore: 0.9,
    flags: 0,
    flagReasons: {},
    queuedAt: null,
    decidedBy: null,
  };
}

/** The items the API writes for a published top-level comment: its record and its page copy. */
export const seedItems = (comment: StoredComment): Item[] => [commentToItem({ ...comment, rootId: null, placement: "root" }), pageRootItem(comment)];

/** Writes items with BatchWriteItem (25 per call, a few calls in flight), retrying unprocessed ones. */
export async function batchWrite(client: DynamoDBDocumentClient, tableName: string, items: Item[], inFlight = 8): Promise<void> {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 20) throw new Error("seeding: DynamoDB kept items unprocessed");
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, batches.length) }, worker));
}

/**
 * Seeds a thread of `count` published comments (one a minute, ending an hour ago) and its thread item,
 * with direct batch writes: the same items the API writes, without 20,000 HTTP posts.
 */
export async function seedThread(client: DynamoDBDocumentClient, tableName: string, siteId: string, threadId: string, count: number): Promise<void> {
  const lastMs = Date.now() - 3_600_000;
  const firstMs = lastMs - count * 60_000;
  const comments = Array.from({ length: count }, (_, n) => sampleComment(siteId, threadId, n, firstMs + n * 60_000));
  await batchWrite(client, tableName, comments.flatMap(seedItems));
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...threadKey({ siteId: siteId, threadId: threadId }),
        siteId,
        threadId,
        gsi3sk: threadSortHeads.newest,
        gsi4sk: threadSortHeads.top,
        commentCount: count,
        version: count,
        firstCommentAt: comments[0]?.createdAt ?? new Date(firstMs).toISOString(),
      },
    }),
  );
}

/** What a thread holds: its counter, and its comment items counted by key range. */
export async function countThread(client: DynamoDBDocumentClient, tableName: string, siteId: string, threadId: string) {
  const { pk } = threadKey({ siteId: siteId, threadId: threadId });
  const countRange = async (prefix: string) => {
    let total = 0;
    let start: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
          Select: "COUNT",
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  };
  const thread = await client.send(new GetCommand({ TableName: tableName, Key: threadKey({ siteId: siteId, threadId: threadId }), ConsistentRead: true }));
  return {
    commentCount: Number(thread.Item?.commentCount ?? 0),
    published: await countRange("C#"),
    hidden: await countRange("H#"),
  };
}
