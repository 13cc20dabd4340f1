import { afterAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@comments/core";
import { withIdempotency } from "@comments/api";
import type { LocalServer } from "@comments/local";
import { createClients, createStore } from "@comments/store";
import { commentBody, dynamoEndpoint, freshStore, postJson, site, startApiServer, testApp } from "./support/harness.ts";
import { startDynamoFaultProxy, type DynamoFaultProxy } from "./support/dynamo-fault-proxy.ts";
import { duplicateTokenAnswer, startSiteverifyServer, type SiteverifyServer } from "./support/siteverify-server.ts";

const thread = "/v1/sites/demo/threads/in-flight/comments";
/** Conditions below are waited on, never timed: generous bounds for a busy machine. */
const patiently = { timeout: 60_000, interval: 25 };

describe("a reader's retry while the first attempt is still in flight", () => {
  let server: LocalServer | undefined;
  let provider: SiteverifyServer | undefined;
  let proxy: DynamoFaultProxy | undefined;
  afterAll(async () => {
    await server?.stop();
    await provider?.stop();
    await proxy?.close();
  });

  it("gets the first attempt's 201 without verifying the single-use captcha token again, and one comment is stored", async () => {
    let releaseProvider!: () => void;
    const providerAnswers = new Promise<void>((resolve) => (releaseProvider = resolve));
    provider = await startSiteverifyServer(() => ({ kind: "held", until: providerAnswers, body: { success: true, score: 0.9, action: "comment" } }));
    // Counts the attempts that tried to claim an Idempotency-Key (a conditional put of an `I#…` item).
    let claims = 0;
    proxy = await startDynamoFaultProxy(dynamoEndpoint(), (operation, _index, call) => {
      const item = call.body.Item as { pk?: { S?: string } } | undefined;
      if (operation === "PutItem" && item?.pk?.S?.startsWith("I#")) claims += 1;
      return { kind: "forward" };
    });
    server = await startApiServer({
      dynamoEndpoint: proxy.endpoint,
      env: { CAPTCHA_SECRET: "s3cret" },
      sites: [{ id: "demo", origins: [], captcha: { provider: "recaptcha-v3", secretEnv: "CAPTCHA_SECRET", verifyUrl: provider.url, timeoutMs: 60_000 } }],
    });
    const post = () =>
      fetch(`http://127.0.0.1:${server!.port}${thread}`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "widget-retry-1" },
        body: JSON.stringify(commentBody({ body: "Posted once, sent twice.", captchaToken: "recaptcha-token-1" })),
      });

    const first = post();
    await vi.waitFor(() => expect(provider!.requests).toHaveLength(1), patiently);
    // The widget's retry after a network timeout: same key, body and token, while the provider still thinks.
    const retry = post();
    await vi.waitFor(() => expect(claims).toBe(2), patiently);
    releaseProvider();

    const [firstAnswer, retryAnswer] = await Promise.all([first, retry]);
    const [firstBody, retryBody] = await Promise.all([firstAnswer.json(), retryAnswer.json()]);
    expect([firstAnswer.status, retryAnswer.status]).toEqual([201, 201]);
    expect(retryBody).toEqual(firstBody);
    expect(provider.requests.map((form) => form.response)).toEqual(["recaptcha-token-1"]);
    const page = await (await fetch(`http://127.0.0.1:${server.port}${thread}`)).json();
    expect(page.thread.commentCount).toBe(1);
    expect(page.comments.map((c: { id: string }) => c.id)).toEqual([firstBody.comment.id]);
  }, 120_000);
});

describe("the captcha stand-in", () => {
  it("refuses a token it has verified before, as the real services do", async () => {
    const provider = await startSiteverifyServer(() => ({ kind: "json", body: { success: true, score: 0.9 } }));
    try {
      const verify = async () => (await fetch(provider.url, { method: "POST", body: new URLSearchParams({ secret: "s", response: "once" }) })).json();
      expect(await verify()).toEqual({ success: true, score: 0.9 });
      expect(await verify()).toEqual(duplicateTokenAnswer);
    } finally {
      await provider.stop();
    }
  });
});

describe("withIdempotency", () => {
  const answer = { status: 201, body: { ok: true } };

  it("runs a failed first attempt's retry afresh: only successful answers are replayed", async () => {
    let now = new Date("2026-03-01T10:00:00Z");
    const { app } = await testApp({ now: () => now, sites: [site({ rateLimit: { perMinute: 1, perHour: 100 } })] });
    expect((await postJson(app, thread, commentBody({ body: "uses the minute's only slot" }))).status).toBe(201);
    const headers = { "idempotency-key": "after-429" };
    const refused = await postJson(app, thread, commentBody({ body: "second comment" }), headers);
    expect(refused.status).toBe(429);
    now = new Date(now.getTime() + 61_000);
    const retried = await postJson(app, thread, commentBody({ body: "second comment" }), headers);
    expect(retried.status).toBe(201);
  });

  it("answers a duplicate of an attempt that never finishes with 503 unavailable and Retry-After, without running it", async () => {
    const { store } = await freshStore();
    const now = () => new Date("2026-03-01T10:00:00Z");
    const request = { siteId: "demo", key: "stuck", requestHash: "h1", now };
    await store.claimIdempotency({ ...request, attemptId: "crashed-attempt", now: now(), leaseMs: 60_000 });
    const operation = vi.fn(async () => answer);
    const failure = await withIdempotency(store, request, operation, { waitMs: 300 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "unavailable", retryAfter: 60 });
    expect(operation).not.toHaveBeenCalled();
  });

  it("answers 422 idempotency_key_reused at once for a different request under a key in flight", async () => {
    const { store } = await freshStore();
    const now = () => new Date("2026-03-01T10:00:00Z");
    await store.claimIdempotency({ siteId: "demo", key: "busy", requestHash: "h1", attemptId: "first", now: now(), leaseMs: 60_000 });
    const operation = vi.fn(async () => answer);
    const failure = await withIdempotency(store, { siteId: "demo", key: "busy", requestHash: "h2", now }, operation).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "idempotency_key_reused" });
    expect(operation).not.toHaveBeenCalled();
  });

  it("takes over a key whose attempt died once its lease has lapsed", async () => {
    const { store } = await freshStore();
    const start = new Date("2026-03-01T10:00:00Z");
    await store.claimIdempotency({ siteId: "demo", key: "lapsed", requestHash: "h1", attemptId: "died", now: start, leaseMs: 20_000 });
    const later = () => new Date(start.getTime() + 21_000);
    const operation = vi.fn(async () => answer);
    expect(await withIdempotency(store, { siteId: "demo", key: "lapsed", requestHash: "h1", now: later }, operation)).toEqual(answer);
    expect(operation).toHaveBeenCalledOnce();
  });

  it("releases the key when the operation fails, so the next attempt runs", async () => {
    const { store } = await freshStore();
    const request = { siteId: "demo", key: "fails-once", requestHash: "h1", now: () => new Date("2026-03-01T10:00:00Z") };
    const refused = new AppError("captcha_failed", "Captcha verification failed!");
    await expect(withIdempotency(store, request, async () => Promise.reject(refused))).rejects.toBe(refused);
    expect(await store.getIdempotency("demo", "fails-once", request.now())).toBeNull();
    expect(await withIdempotency(store, request, async () => answer)).toEqual(answer);
  });

  it("frees the key of a failed attempt once the store answers again, when the release itself failed", async () => {
    let storeDown = false;
    const proxy = await startDynamoFaultProxy(dynamoEndpoint(), () => (storeDown ? { kind: "throttle" } : { kind: "forward" }));
    const { store: direct, tableName, clients } = await freshStore();
    const viaProxy = createClients({ endpoint: proxy.endpoint, maxAttempts: 1 });
    try {
      const store = createStore(viaProxy.documentClient, tableName);
      const request = { siteId: "demo", key: "outage", requestHash: "h1", now: () => new Date("2026-03-01T10:00:00Z") };
      const outage = new AppError("unavailable", "The comment store is unavailable.");
      const failed = withIdempotency(store, request, async () => {
        storeDown = true; // the store goes away during the operation: the release fails too
        throw outage;
      });
      await expect(failed).rejects.toBe(outage);
      expect(await direct.getIdempotency("demo", "outage", request.now())).toMatchObject({ state: "in_progress" });
      storeDown = false;
      await vi.waitFor(async () => expect(await direct.getIdempotency("demo", "outage", request.now())).toBeNull(), patiently);
    } finally {
      viaProxy.client.destroy();
      clients.client.destroy();
      await proxy.close();
    }
  });
});
