import { randomUUID } from "node:crypto";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repliesPageSchema, threadPageSchema, type StoredComment } from "@comments/core";
import { runCli } from "@comments/migrate";
import { commentToItem, createClients, createStore, createTableInput, ensureTable, type Item } from "@comments/store";
import { startDynamoDbLocal, type DynamoDbLocal } from "../packages/local/src/dynamodb-local.ts";
import { site, testApp, testIpHashKey } from "./support/harness.ts";

/**
 * The migration adds indexes to a table. DynamoDB Local builds a new index behind the rest of its work, and the
 * shared test store is busy with every other test file: this file has a store of its own.
 */
let ownStore: DynamoDbLocal;
beforeAll(async () => {
  ownStore = await startDynamoDbLocal();
});
afterAll(async () => {
  await ownStore?.stop();
});
const dynamoEndpoint = () => ownStore.endpoint;

/**
 * A table as the release before sorted threads left it: only the queue and author indexes, published comments
 * (whole records) at `C#<id>` inside the page range, the thread item without the heads of the new orders.
 */
async function legacyTable(comments: StoredComment[]) {
  const clients = createClients({ endpoint: dynamoEndpoint() });
  const tableName = `t-${randomUUID()}`;
  const input = createTableInput(tableName);
  const oldIndexes = (input.GlobalSecondaryIndexes ?? []).filter((index) => index.IndexName === "gsi1" || index.IndexName === "gsi2");
  const oldFields = new Set(["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"]);
  await clients.client.send(
    new CreateTableCommand({ ...input, GlobalSecondaryIndexes: oldIndexes, AttributeDefinitions: input.AttributeDefinitions?.filter((d) => oldFields.has(String(d.AttributeName))) }),
  );
  const items: Item[] = comments.map((comment) => {
    const { rootId: _root, likes: _likes, placement: _placement, featuredAt: _featured, ...item } = commentToItem(comment);
    return comment.status === "published" ? { ...item, sk: `C#${comment.id}` } : item;
  });
  const published = comments.filter((c) => c.status === "published");
  items.push({
    pk: `T#demo#old-thread`,
    sk: "C",
    type: "thread",
    v: 1,
    siteId: "demo",
    threadId: "old-thread",
    commentCount: published.length,
    version: published.length,
    firstCommentAt: comments[0]!.createdAt,
  });
  for (let start = 0; start < items.length; start += 25) {
    await clients.documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return { clients, tableName };
}

let clock = Date.parse("2025-03-01T08:00:00.000Z");
function comment(overrides: Partial<StoredComment> & { id: string }): StoredComment {
  clock += 60_000;
  return {
    siteId: "demo",
    threadId: "old-thread",
    parentId: null,
    authorName: `Reader ${overrides.id}`,
    authorEmail: "reader@example.org",
    authorUrl: null,
    authorHash: "a".repeat(32),
    ipHash: "b".repeat(32),
    body: `Comment ${overrides.id}`,
    bodyHtml: `<p>Comment ${overrides.id}</p>`,
    createdAt: new Date(clock).toISOString(),
    status: "published",
    reasons: [],
    details: [],
    captchaScore: 0.9,
    flags: 0,
    flagReasons: {},
    queuedAt: null,
    ...overrides,
  };
}

/** Time-sortable ids like the service's own (same length, increasing). */
const id = (n: number) => `01J${String(n).padStart(23, "0")}`;

function sink() {
  let text = "";
  return { stream: { write: (chunk: string) => ((text += chunk), true), isTTY: false } as never, text: () => text };
}

/** Adding two indexes to a table and copying a thread is slow on a busy machine: a generous bound, not a budget. */
const migrationTimeout = 600_000;

describe("npm run data -- migrate-layout", () => {
  it("moves a table of the previous layout to sorted threads: no comment lost, counts unchanged, and a second run changes nothing", { timeout: migrationTimeout }, async () => {
    const root1 = comment({ id: id(1) });
    const reply = comment({ id: id(2), parentId: id(1) });
    const replyOfReply = comment({ id: id(3), parentId: id(2) });
    const root2 = comment({ id: id(4) });
    const longReplies = Array.from({ length: 52 }, (_, i) => comment({ id: id(10 + i), parentId: id(4) }));
    const pending = comment({ id: id(100), status: "pending", queuedAt: new Date(clock).toISOString(), reasons: ["captcha_low_score"], details: ["low score"] });
    const all = [root1, reply, replyOfReply, root2, ...longReplies, pending];
    const { clients, tableName } = await legacyTable(all);
    const env = { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey };

    const out = sink();
    const err = sink();
    const code = await runCli(["data", "migrate-layout"], { env, stdout: out.stream, stderr: err.stream });
    expect(code, err.text()).toBe(0);
    expect(out.text()).toContain("Layout: 1 threads checked, 57 comment items moved, 4 page items written or removed.");
    const indexes = (await clients.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName);
    expect(indexes).toEqual(expect.arrayContaining(["gsi1", "gsi2", "gsi3", "gsi4"]));

    const store = createStore(clients.documentClient, tableName);
    const { app } = await testApp({ store, sites: [site()] });
    const path = "/v1/sites/demo/threads/old-thread/comments";
    for (const sort of ["oldest", "newest", "top"]) {
      const page = threadPageSchema.parse(await (await app.request(`${path}?sort=${sort}`)).json());
      expect(page.thread.commentCount).toBe(56);
      const shown = page.comments.map((c) => c.id);
      expect(shown).toHaveLength(54);
      expect(shown[0]).toBe(sort === "newest" ? root2.id : root1.id);
      expect(page.comments.find((c) => c.id === root2.id)?.moreReplies).toBe(2);
    }
    const oldest = threadPageSchema.parse(await (await app.request(path)).json());
    expect(oldest.comments.slice(0, 4).map((c) => c.id)).toEqual([root1.id, reply.id, replyOfReply.id, root2.id]);
    const rest = repliesPageSchema.parse(await (await app.request(`${path}/${root2.id}/replies`)).json());
    expect(rest.comments.map((c) => c.id)).toEqual(longReplies.slice(50).map((c) => c.id));

    // Everything the table held is still there, published or not.
    const exported = await store.bulk.readThread("demo", "old-thread");
    expect(exported.comments.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(exported.thread.commentCount).toBe(56);

    // The old layout's comments take part in the new features.
    const liked = await app.request(`${path}/${replyOfReply.id}/like`, { method: "PUT" });
    expect(await liked.json()).toEqual({ likes: 1, liked: true });

    const again = sink();
    expect(await runCli(["data", "migrate-layout"], { env, stdout: again.stream, stderr: sink().stream })).toBe(0);
    expect(again.text()).toContain("Layout: 1 threads checked, 0 comment items moved, 0 page items written or removed.");

    // A comment of the old layout never had site-timeline keys: once migrated, permalinks and the site feed find it.
    const late = comment({ id: id(200) });
    const { gsi5pk: _pk, gsi5sk: _sk, rootId: _root, likes: _likes, placement: _placement, featuredAt: _featured, ...lateItem } = commentToItem(late);
    await clients.documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: [{ PutRequest: { Item: { ...lateItem, sk: `C#${late.id}` } } }] } }));
    expect(await store.findPermalink("demo", late.id)).toBeNull();
    expect(await runCli(["data", "migrate-layout"], { env, stdout: sink().stream, stderr: sink().stream })).toBe(0);
    expect(await store.findPermalink("demo", late.id)).toEqual({ threadId: "old-thread", pageUrl: null });
    expect((await store.siteFeed("demo", 10)).map((entry) => entry.id)).toContain(late.id);
    await ensureTable(clients.client, tableName);
    clients.client.destroy();
  });
});
