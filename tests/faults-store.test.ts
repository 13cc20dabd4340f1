import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorResponseSchema } from "@comments/core";
import { freePort, startDynamoDbLocal, type DynamoDbLocal } from "@comments/local";
import { createClients, createStore, ensureTable } from "@comments/store";
import { asModerator, commentBody, dynamoEndpoint, postJson, site, testApp } from "./support/harness.ts";
import { startDynamoFaultProxy, type DynamoFaultProxy } from "./support/dynamo-fault-proxy.ts";
import { retryUntilAccepted, waitForPortFree, type RetryOutcome } from "./support/retrying-client.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const openSite = site({ rateLimit: { perMinute: 100_000, perHour: 100_000 } });
const threadPath = (thread: string) => `/v1/sites/demo/threads/${thread}/comments`;

/** Asserts an answer is the contract's 503: `unavailable`, a whole-second Retry-After, the error shape. */
function expectUnavailable(answer: { status: number; retryAfter: string | null; body: unknown }) {
  expect(answer.status).toBe(503);
  expect(answer.retryAfter).toMatch(/^[1-9]\d*$/);
  expect(errorResponseSchema.parse(answer.body).error.code).toBe("unavailable");
}

describe("the store stops and comes back while comments are posted", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("answers 503 with Retry-After during the outage, half-writes nothing, and accepts each retried comment exactly once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "comments-outage-"));
    const port = await freePort();
    let db: DynamoDbLocal = await startDynamoDbLocal({ port, dataDir });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => db.stop());
    const clients = createClients({ endpoint: db.endpoint });
    cleanups.push(() => clients.client.destroy());
    await ensureTable(clients.client, "comments");
    const store = createStore(clients.documentClient, "comments");
    const logged: Record<string, unknown>[] = [];
    const { app } = await testApp({ store, sites: [openSite], logger: { error: (message, details) => logged.push({ message, ...details }) } });

    const clientCount = 6;
    const perClient = 12;
    let accepted = 0;
    let outage: "before" | "down" | "after" = "before";
    const answersDuringOutage: number[] = [];
    const healthDuringOutage: number[] = [];

    const poster = async (client: number) => {
      const outcomes: RetryOutcome[] = [];
      for (let m = 0; m < perClient; m++) {
        const body = commentBody({ body: `client ${client} comment ${m}`, captchaToken: m % 4 === 0 ? "test:0.5" : "test:0.9", author: { name: `Reader ${client}` } });
        const key = `outage-${client}-${m}`;
        const outcome = await retryUntilAccepted(async () => {
          const res = await postJson(app, threadPath(`t${m % 3}`), body, { "idempotency-key": key });
          if (outage === "down") answersDuringOutage.push(res.status);
          return res;
        });
        if (outcome.accepted) accepted += 1;
        outcomes.push(outcome);
      }
      return outcomes;
    };

    // A moderator works the queue at the same time, retrying decisions the outage refused.
    const decisions: { id: string; outcome: number[] }[] = [];
    let posting = true;
    const moderator = async () => {
      while (posting) {
        const res = await app.request("/v1/mod/sites/demo/queue?limit=5", { headers: asModerator() });
        const items = res.status === 200 ? ((await res.json()) as { items: { id: string; threadId: string }[] }).items : [];
        for (const item of items) {
          const statuses: number[] = [];
          for (let attempt = 0; attempt < 200; attempt++) {
            const answer = await postJson(app, `/v1/mod/sites/demo/threads/${item.threadId}/comments/${item.id}/decision`, { action: decisions.length % 2 === 0 ? "approve" : "reject" }, asModerator());
            statuses.push(answer.status);
            if (answer.status !== 503) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          decisions.push({ id: item.id, outcome: statuses });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    const outageRun = (async () => {
      while (accepted < (clientCount * perClient) / 3) await new Promise((r) => setTimeout(r, 20));
      outage = "down";
      await db.stop();
      await waitForPortFree(port);
      // Let every client meet the dead store a few times.
      while (answersDuringOutage.filter((s) => s === 503).length < clientCount * 3) {
        healthDuringOutage.push((await app.request("/healthz")).status);
        await new Promise((r) => setTimeout(r, 50));
      }
      db = await startDynamoDbLocal({ port, dataDir });
      outage = "after";
    })();

    const modRun = moderator();
    const results = (await Promise.all(Array.from({ length: clientCount }, (_, client) => poster(client)))).flat();
    await outageRun;
    posting = false;
    await modRun;

    // Every comment was accepted in the end, each under one id, whatever its retries saw.
    expect(results.every((r) => r.accepted !== null)).toBe(true);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const failures = results.flatMap((r) => r.failures);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expectUnavailable(failure);
    expect(answersDuringOutage).not.toContain(500);
    expect(healthDuringOutage.length).toBeGreaterThan(0);
    expect(new Set(healthDuringOutage)).toEqual(new Set([503]));
    expect((await app.request("/healthz")).status).toBe(200);
    // The outage is visible to operators: each refusal is logged with its cause.
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((entry) => entry.code === "unavailable")).toBe(true);

    expect(decisions.length).toBeGreaterThan(0);
    // Decisions refused by the outage were retried; a retry may find its earlier attempt already applied.
    for (const { outcome } of decisions) {
      expect(outcome.slice(0, -1).every((s) => s === 503)).toBe(true);
      expect([200, 409]).toContain(outcome.at(-1));
    }

    // Nothing half-written: counters match the published comments, and the table holds exactly the accepted ids.
    const stored = await checkStoredComments(clients.documentClient, "comments");
    expect(stored.problems).toEqual([]);
    const acceptedIds = results.map((r) => r.accepted!.body.comment.id);
    expect(new Set(acceptedIds).size).toBe(clientCount * perClient);
    expect(new Set(stored.comments.map((c) => c.id))).toEqual(new Set(acceptedIds));
    for (const thread of ["t0", "t1", "t2"]) {
      const page = (await (await app.request(`${threadPath(thread)}?limit=100`)).json()) as { thread: { commentCount: number }; comments: unknown[] };
      expect(page.thread.commentCount).toBe(page.comments.length);
    }
  }, 180_000);
});

describe("throttling and transaction conflicts", () => {
  const proxies: DynamoFaultProxy[] = [];
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
  });

  /** The app on a fresh table, reached through a fault proxy in front of the run's DynamoDB Local. */
  async function appBehindProxy(decide: Parameters<typeof startDynamoFaultProxy>[1]) {
    const proxy = await startDynamoFaultProxy(dynamoEndpoint(), decide);
    proxies.push(proxy);
    const clients = createClients({ endpoint: proxy.endpoint });
    const tableName = `t-faults-${proxies.length}-${Date.now()}`;
    const direct = createClients({ endpoint: dynamoEndpoint() });
    await ensureTable(direct.client, tableName);
    direct.client.destroy();
    const store = createStore(clients.documentClient, tableName);
    const logged: Record<string, unknown>[] = [];
    const { app } = await testApp({ store, sites: [openSite], logger: { error: (message, details) => logged.push({ message, ...details }) } });
    return { app, proxy, clients, tableName, logged };
  }

  it("checks first that DynamoDB Local does not throttle or report conflicts by itself", async () => {
    // Tiny provisioned capacity is ignored locally and transactions are serialised: 40 racing posts on one
    // thread item meet neither error, so the proxy below is what produces them.
    const { app, proxy } = await appBehindProxy(() => ({ kind: "forward" }));
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => postJson(app, threadPath("race"), commentBody({ body: `race ${i}` }), { "x-test-ip": `10.4.0.${i}` })));
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(201));
    // One transaction per post; DynamoDB Local may answer a few with a conflict (the posts share the thread
    // item), and withConflictRetry absorbs those.
    const transactions = proxy.calls.filter((c) => c.operation === "TransactWriteItems").length;
    expect(transactions).toBeGreaterThanOrEqual(40);
    expect(transactions).toBeLessThan(80);
  });

  it("retries ProvisionedThroughputExceeded in the SDK (standard retry mode) and publishes every comment once", async () => {
    // The first attempt of every call is throttled; the SDK's retry with backoff and jitter absorbs it.
    const { app, proxy, clients, tableName } = await appBehindProxy((_, __, call) => (call.attempt === 1 ? { kind: "throttle" } : { kind: "forward" }));
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => postJson(app, threadPath("throttled"), commentBody({ body: `throttled ${i}` }), { "x-test-ip": `10.5.0.${i}` })));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
    const page = await (await app.request(threadPath("throttled"))).json();
    expect(page.thread.commentCount).toBe(12);
    const throttled = proxy.calls.filter((c) => c.fault === "throttle").length;
    // Each post reads its checks (ban lookups and rate windows in one BatchGetItem, which posts started in the
    // same tick share) and writes one transaction; the thread read is one more call.
    expect(throttled).toBeGreaterThanOrEqual(12 + 1 + 1);
    expect(proxy.calls.filter((c) => c.fault === "forward").length).toBeGreaterThanOrEqual(throttled);
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(12);
  });

  it("answers 503 with Retry-After when throttling outlasts the SDK's retries, and the retried comment is stored once", async () => {
    let throttling = true;
    const { app, clients, tableName } = await appBehindProxy(() => (throttling ? { kind: "throttle" } : { kind: "forward" }));
    const headers = { "idempotency-key": "throttled-key" };
    const refused = await postJson(app, threadPath("t"), commentBody(), headers);
    expectUnavailable({ status: refused.status, retryAfter: refused.headers.get("retry-after"), body: await refused.json() });
    throttling = false;
    const first = await postJson(app, threadPath("t"), commentBody(), headers);
    const again = await postJson(app, threadPath("t"), commentBody(), headers);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect((await again.json()).comment.id).toBe((await first.json()).comment.id);
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(1);
  });

  it("retries transactions that lose to a conflict (withConflictRetry, backoff with jitter) and counts each comment once", async () => {
    // Two conflicts, then success, for every transaction in turn.
    const { app, proxy, clients, tableName } = await appBehindProxy((operation, index) => (operation === "TransactWriteItems" && index % 3 !== 2 ? { kind: "conflict" } : { kind: "forward" }));
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await postJson(app, threadPath("contended"), commentBody({ body: `contended ${i}`, captchaToken: i % 2 === 0 ? "test:0.9" : "test:0.5" }), { "x-test-ip": `10.6.0.${i}` });
      expect([201, 202]).toContain(res.status);
      ids.push((await res.json()).comment.id);
    }
    const pending = ids.filter((_, i) => i % 2 === 1);
    for (const id of pending) {
      expect((await postJson(app, `/v1/mod/sites/demo/threads/contended/comments/${id}/decision`, { action: "approve" }, asModerator())).status).toBe(200);
    }
    const flag = await postJson(app, `${threadPath("contended")}/${ids[0]}/flags`, { reason: "spam" });
    expect(flag.status).toBe(202);
    const page = await (await app.request(`${threadPath("contended")}?limit=100`)).json();
    expect(page.thread.commentCount).toBe(6);
    expect(proxy.calls.filter((c) => c.fault === "conflict").length).toBeGreaterThanOrEqual(2 * (6 + pending.length + 1));
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(6);
  });

  it("answers 503 with Retry-After, never 500, on every transactional route when conflicts outlast the retries", async () => {
    let conflicting = false;
    const { app, clients, tableName } = await appBehindProxy((operation) => (conflicting && operation === "TransactWriteItems" ? { kind: "conflict" } : { kind: "forward" }));
    const published = (await (await postJson(app, threadPath("t"), commentBody({ body: "published" }))).json()).comment.id;
    const queued = (await (await postJson(app, threadPath("t"), commentBody({ body: "queued", captchaToken: "test:0.5" }), { "x-test-ip": "10.7.0.2" })).json()).comment.id;
    const ban = (await (await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: published, reason: "to lift" }, asModerator())).json()).ban.id;
    conflicting = true;
    const routes: [string, () => Response | Promise<Response>][] = [
      ["post a comment", () => postJson(app, threadPath("t"), commentBody({ body: "during conflicts" }), { "x-test-ip": "10.7.0.9" })],
      ["decide", () => postJson(app, `/v1/mod/sites/demo/threads/t/comments/${queued}/decision`, { action: "approve" }, asModerator())],
      ["flag", () => postJson(app, `${threadPath("t")}/${published}/flags`, { reason: "abuse" }, { "x-test-ip": "10.7.0.3" })],
      ["ban", () => postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: queued, reason: "abuse" }, asModerator())],
      ["lift a ban", () => app.request(`/v1/mod/sites/demo/bans/${ban}`, { method: "DELETE", headers: asModerator() })],
    ];
    const seen: Record<string, number> = {};
    await Promise.all(
      routes.map(async ([name, send]) => {
        const res = await send();
        seen[name] = res.status;
        if (res.status === 503) expectUnavailable({ status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() });
      }),
    );
    expect(seen).toEqual({ "post a comment": 503, decide: 503, flag: 503, ban: 503, "lift a ban": 503 });
    conflicting = false;
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments.map((c) => c.status).sort()).toEqual(["pending", "published"]);
  }, 60_000);
});
