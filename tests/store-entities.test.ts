import { describe, expect, it } from "vitest";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { newModeratorKey } from "@comments/api";
import { randomUUID } from "node:crypto";
import { createClients, createStore, ensureTable } from "@comments/store";
import { asModerator, commentBody, dynamoEndpoint, freshStore, postJson, site, testApp } from "./support/harness.ts";
import { startDynamoFaultProxy } from "./support/dynamo-fault-proxy.ts";

const thread = "/v1/sites/demo/threads/entities/comments";

describe("items in the table", () => {
  it("every item the store writes carries its kind (type) and schema version (v)", async () => {
    const { store, tableName, clients } = await freshStore();
    const { app } = await testApp({ store, sites: [site({ moderation: { flagThreshold: 1 } })] });
    const published = await (await postJson(app, thread, commentBody({ body: "A published comment." }), { "idempotency-key": "entities-1" })).json();
    await postJson(app, thread, commentBody({ body: "A reply.", parentId: published.comment.id }));
    await postJson(app, thread, commentBody({ body: "A queued comment.", captchaToken: "test:0.5" }));
    await postJson(app, `${thread}/${published.comment.id}/flags`, { reason: "spam" });
    const queued = (await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items[0];
    await postJson(app, `/v1/mod/sites/demo/threads/entities/comments/${queued.id}/decision`, { action: "reject" }, asModerator());
    await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "entities", commentId: published.comment.id, reason: "test", days: 1 }, asModerator());
    await store.putModeratorKey(newModeratorKey("reviewer", ["demo"], new Date()).record);

    const items = (await clients.documentClient.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const kinds = new Set(items.map((item) => item.type));
    expect(kinds).toEqual(
      new Set(["comment", "thread", "author", "flag", "audit", "ban", "banLookup", "idempotency", "rateWindow", "moderatorKey", "stats", "pageRoot"]),
    );
    expect(items.filter((item) => item.v !== 1).map((item) => `${item.pk} ${item.sk}`)).toEqual([]);
  });
});

describe("the rate-limit windows item", () => {
  const windowsItems = async (clients: Awaited<ReturnType<typeof freshStore>>["clients"], tableName: string) =>
    ((await clients.documentClient.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? []).filter((item) => item.type === "rateWindow");

  it("holds both windows in one item and keeps only the current minute's and hour's counters", async () => {
    const { store, tableName, clients } = await freshStore();
    let now = new Date("2026-05-04T10:30:30.000Z");
    const { app } = await testApp({ store, now: () => now, sites: [site({ rateLimit: { perMinute: 5, perHour: 100 } })] });
    expect((await postJson(app, thread, commentBody({ body: "first" }))).status).toBe(201);
    expect((await postJson(app, thread, commentBody({ body: "second" }))).status).toBe(201);
    now = new Date("2026-05-04T11:02:10.000Z");
    expect((await postJson(app, thread, commentBody({ body: "third, next hour" }))).status).toBe(201);
    const items = await windowsItems(clients, tableName);
    expect(items).toHaveLength(1);
    const counters = Object.fromEntries(Object.entries(items[0]!).filter(([name]) => /^[mh]\d+$/.test(name)));
    expect(counters).toEqual({ [`m${Math.floor(now.getTime() / 60_000)}`]: 1, [`h${Math.floor(now.getTime() / 3_600_000)}`]: 1 });
  });

  it("refuses racing posts over the hour's limit with the hour window's Retry-After", async () => {
    const { store } = await freshStore();
    const now = new Date("2026-05-04T10:30:30.000Z");
    const { app } = await testApp({ store, now: () => now, sites: [site({ rateLimit: { perMinute: 50, perHour: 2 } })] });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(app, thread, commentBody({ body: `racing ${i}` }))));
    expect(answers.filter((res) => res.status === 201)).toHaveLength(2);
    const refused = answers.filter((res) => res.status !== 201);
    expect(refused.map((res) => [res.status, res.headers.get("retry-after")])).toEqual(refused.map(() => [429, "1770"]));
  });
});

describe("the duplicate guard on the author item", () => {
  const authorItems = async (clients: Awaited<ReturnType<typeof freshStore>>["clients"], tableName: string) =>
    ((await clients.documentClient.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? []).filter((item) => item.type === "author");
  const guards = (item: Record<string, unknown>) => Object.keys(item).filter((name) => name.startsWith("d_"));

  it("refuses the same text within the window, allows it after, and drops ended guards with the next post", async () => {
    const { store, tableName, clients } = await freshStore();
    let now = new Date("2026-05-04T10:00:00.000Z");
    const { app } = await testApp({ store, now: () => now, sites: [site({ moderation: { duplicateWindowMinutes: 10 } })] });
    expect((await postJson(app, thread, commentBody({ body: "once" }))).status).toBe(201);
    expect((await postJson(app, thread, commentBody({ body: "twice" }))).status).toBe(201);
    now = new Date("2026-05-04T10:09:00.000Z");
    expect((await postJson(app, thread, commentBody({ body: "once" }))).status).toBe(409);
    now = new Date("2026-05-04T10:11:00.000Z");
    expect((await postJson(app, thread, commentBody({ body: "once" }))).status).toBe(201);
    const [author] = await authorItems(clients, tableName);
    // "twice" ended and was dropped by the last post; "once" stands again until 10:21.
    expect(guards(author!)).toHaveLength(1);
    expect(author!.n_published).toBe(3);
  });

  it("keeps a guard a concurrent post renewed after this post read it as ended", async () => {
    const { store } = await freshStore();
    let now = new Date("2026-05-04T10:00:00.000Z");
    // The author item as an earlier read saw it stands in for a read that raced with the renewing post.
    let snapshot: Awaited<ReturnType<typeof store.readAuthorForPost>> | null = null;
    let replay = false;
    const racing = {
      ...store,
      readAuthorForPost: async (siteId: string, authorHash: string) => (replay && snapshot ? snapshot : (snapshot = await store.readAuthorForPost(siteId, authorHash))),
    };
    const { app } = await testApp({ store: racing, now: () => now, sites: [site({ moderation: { duplicateWindowMinutes: 10 } })] });
    expect((await postJson(app, thread, commentBody({ body: "renewed" }))).status).toBe(201);
    now = new Date("2026-05-04T10:11:00.000Z");
    expect((await postJson(app, thread, commentBody({ body: "reads the ended guard" }))).status).toBe(201);
    const stale = snapshot;
    now = new Date("2026-05-04T10:12:00.000Z");
    expect((await postJson(app, thread, commentBody({ body: "renewed" }))).status).toBe(201);
    snapshot = stale;
    replay = true;
    expect((await postJson(app, thread, commentBody({ body: "prunes from a stale read" }))).status).toBe(201);
    replay = false;
    expect((await postJson(app, thread, commentBody({ body: "renewed" }))).status).toBe(409);
  });

  it("admits one of the same text posted by racing requests", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store, sites: [site({ rateLimit: { perMinute: 50, perHour: 100 } })] });
    const answers = await Promise.all(Array.from({ length: 5 }, () => postJson(app, thread, commentBody({ body: "racing twin" }))));
    expect(answers.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });
});

describe("what a post costs", () => {
  /** The DynamoDB calls of each request (and the items of each transaction), counted at the wire. */
  async function countingApp() {
    const calls: { operation: string; items: number }[] = [];
    const proxy = await startDynamoFaultProxy(dynamoEndpoint(), (operation, _index, call) => {
      calls.push({ operation, items: Array.isArray(call.body.TransactItems) ? call.body.TransactItems.length : 0 });
      return { kind: "forward" };
    });
    const clients = createClients({ endpoint: proxy.endpoint });
    const tableName = `t-${randomUUID()}`;
    await ensureTable(clients.client, tableName);
    // The default site: duplicate guard on (10 minutes).
    const { app } = await testApp({ store: createStore(clients.documentClient, tableName) });
    const counted = async (request: () => Response | Promise<Response>, status: number) => {
      calls.length = 0;
      const response = await request();
      expect(response.status).toBe(status);
      return { body: await response.json(), calls: [...calls] };
    };
    return { app, counted, close: async () => (clients.client.destroy(), await proxy.close()) };
  }

  it("a published comment is one read for the checks and one transaction of five items, its stats count included", async () => {
    const { app, counted, close } = await countingApp();
    try {
      await counted(() => postJson(app, thread, commentBody({ body: "warm-up" })), 201);
      const published = await counted(() => postJson(app, thread, commentBody({ body: "counted" })), 201);
      // The checks (ban lookups, rate windows, author item), then: the comment, its page copy, the thread, the
      // author (counts and duplicate guard) and the rate windows (with the day's stats count).
      expect(published.calls).toEqual([
        { operation: "BatchGetItem", items: 0 },
        { operation: "TransactWriteItems", items: 5 },
      ]);

      const queued = await counted(() => postJson(app, thread, commentBody({ body: "queued", captchaToken: "test:0.5" })), 202);
      expect(queued.calls).toEqual([
        { operation: "BatchGetItem", items: 0 },
        { operation: "TransactWriteItems", items: 4 },
      ]);

      // With an Idempotency-Key: the claim first, and its completion in the same transaction.
      const keyed = await counted(() => postJson(app, thread, commentBody({ body: "keyed" }), { "idempotency-key": "cost-1" }), 201);
      expect(keyed.calls).toEqual([
        { operation: "PutItem", items: 0 },
        { operation: "BatchGetItem", items: 0 },
        { operation: "TransactWriteItems", items: 6 },
      ]);

      // A reply reads its parent (its root) and checks it is still published in the transaction.
      const reply = await counted(() => postJson(app, thread, commentBody({ body: "a reply", parentId: published.body.comment.id })), 201);
      expect(reply.calls).toEqual([
        { operation: "BatchGetItem", items: 0 },
        { operation: "GetItem", items: 0 },
        { operation: "TransactWriteItems", items: 6 },
      ]);

      // Two days: the posts and the read may fall on either side of midnight.
      const stats = await counted(() => app.request("/v1/mod/sites/demo/stats?days=2", { headers: asModerator() }), 200);
      const perDay = stats.body.comments.perDay as { published: number; pending: number; spam: number }[];
      const sum = (outcome: "published" | "pending" | "spam") => perDay.reduce((total, day) => total + day[outcome], 0);
      expect({ published: sum("published"), pending: sum("pending"), spam: sum("spam") }).toEqual({ published: 4, pending: 1, spam: 0 });
    } finally {
      await close();
    }
  });
});

describe("reads asked for together", () => {
  it("go out as one BatchGetItem per 100 keys, each reader getting its own items", async () => {
    const calls: string[] = [];
    const { store } = await freshStore({ onCapacity: (operation) => calls.push(operation) });
    const now = new Date("2026-05-04T10:30:30.000Z");
    await store.createBan({
      siteId: "demo",
      ban: { id: "ban-1", reason: "test", createdAt: now.toISOString(), expiresAt: null, threadId: null, commentId: null, authorName: null },
      authorHash: "author-7",
      ipHash: "ip-7",
      audit: { at: now.toISOString(), moderator: "dev", action: "ban", threadId: "t", commentId: "c", fromStatus: null, toStatus: null, note: null },
      auditId: "audit-1",
    });
    calls.length = 0;
    // 40 posts' checks at once: 40 × (2 ban lookups + 1 rate item) = 120 keys.
    const checks = await Promise.all(
      Array.from({ length: 40 }, (_, i) => Promise.all([store.findActiveBan("demo", [`author-${i}`, `ip-${i}`], now), store.getRateWindows("demo", `ip-${i}`, now)])),
    );
    expect(calls).toEqual(["findActiveBan+getRateWindows", "findActiveBan+getRateWindows"]);
    expect(checks.map(([ban]) => ban?.banId ?? null)).toEqual(Array.from({ length: 40 }, (_, i) => (i === 7 ? "ban-1" : null)));
    expect(checks.every(([, windows]) => windows.minute === 0 && windows.hour === 0)).toBe(true);
  });
});
