import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { SiteConfigError, parseSitesConfig } from "@comments/core";
import { deliverWebhook, signWebhook, verifyWebhook, webhookListenerForSites, webhookQueueListener } from "@comments/api";
import { commentBody, postJson, site, startApiServer, testApp } from "./support/harness.ts";
import { startReceiver, type HttpReceiver, type ReceivedRequest } from "./support/http-receiver.ts";

const signingKey = "webhook-signing-key-for-tests-0123";
const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2000 };

const receivers: HttpReceiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** Verifies a received request the way the docs tell a receiver to. */
function verified(request: ReceivedRequest, key = signingKey) {
  return verifyWebhook({
    key,
    body: request.body,
    signature: request.headers["x-comments-signature"] as string | undefined,
    timestamp: request.headers["x-comments-timestamp"] as string | undefined,
  });
}

async function appWithWebhooks(url: string, overrides: Parameters<typeof site>[0] = {}) {
  const listener = webhookQueueListener({ signingKey, background: true, policy: fast, reviewUrl: "https://mod.example/moderate" });
  const { app, store } = await testApp({
    sites: [site({ notify: { webhooks: [url] }, moderation: { bannedWords: ["viagra"], flagThreshold: 2 }, ...overrides })],
    queueListener: listener,
  });
  return { app, store, listener };
}

describe("webhook signature", () => {
  it("signs `${timestamp}.${body}` with HMAC-SHA256 as sha256=<hex>", () => {
    const body = JSON.stringify({ text: "hello" });
    const expected = createHmac("sha256", signingKey).update(`1767225600.${body}`).digest("hex");
    expect(signWebhook(signingKey, 1767225600, body)).toBe(`sha256=${expected}`);
  });

  it("accepts a fresh signature and refuses a changed body, a wrong key and a replayed old timestamp", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const timestamp = String(now.getTime() / 1000);
    const body = '{"text":"hello"}';
    const signature = signWebhook(signingKey, Number(timestamp), body);
    expect(verifyWebhook({ key: signingKey, body, signature, timestamp, now })).toBe(true);
    expect(verifyWebhook({ key: signingKey, body: '{"text":"hellO"}', signature, timestamp, now })).toBe(false);
    expect(verifyWebhook({ key: "another-key-of-sixteen-chars", body, signature, timestamp, now })).toBe(false);
    expect(verifyWebhook({ key: signingKey, body, signature, timestamp, now: new Date(now.getTime() + 10 * 60_000) })).toBe(false);
    expect(verifyWebhook({ key: signingKey, body, signature: undefined, timestamp, now })).toBe(false);
  });
});

describe("webhook delivery", () => {
  it("POSTs the JSON body with signature, timestamp and delivery id headers", async () => {
    const hook = await receiver();
    const result = await deliverWebhook({ url: `${hook.url}/in`, body: '{"text":"hi"}', signingKey, deliveryId: "d-1", policy: fast });
    expect(result).toMatchObject({ ok: true, attempts: 1, status: 200 });
    const [request] = hook.requests;
    expect(request).toMatchObject({ method: "POST", path: "/in", body: '{"text":"hi"}' });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["x-comments-delivery"]).toBe("d-1");
    expect(verified(request!)).toBe(true);
  });

  it("retries a failing receiver with growing, bounded waits until it recovers", async () => {
    const hook = await receiver((_, index) => ({ status: index < 2 ? 503 : 200 }));
    const waits: number[] = [];
    const result = await deliverWebhook({
      url: hook.url,
      body: "{}",
      signingKey,
      deliveryId: "d-2",
      policy: { ...fast, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(hook.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    // Every retry is signed afresh and keeps the delivery id, so receivers can drop duplicates.
    expect(hook.requests.every((r) => verified(r) && r.headers["x-comments-delivery"] === "d-2")).toBe(true);
  });

  it("gives up after the configured attempts and reports the failure", async () => {
    const hook = await receiver(() => ({ status: 500 }));
    const result = await deliverWebhook({ url: hook.url, body: "{}", signingKey, deliveryId: "d-3", policy: fast, sleep: async () => undefined });
    expect(result).toMatchObject({ ok: false, attempts: 4, status: 500 });
    expect(hook.requests).toHaveLength(4);
  });

  it("does not retry a receiver that refuses the request with a 4xx", async () => {
    const hook = await receiver(() => ({ status: 404 }));
    const result = await deliverWebhook({ url: hook.url, body: "{}", signingKey, deliveryId: "d-4", policy: fast });
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 404 });
    expect(hook.requests).toHaveLength(1);
  });

  it("honours Retry-After on 429, never waiting longer than maxDelayMs", async () => {
    const hook = await receiver((_, index) => (index === 0 ? { status: 429, headers: { "retry-after": "3600" } } : { status: 204 }));
    const waits: number[] = [];
    const result = await deliverWebhook({ url: hook.url, body: "{}", signingKey, deliveryId: "d-5", policy: fast, sleep: async (ms) => void waits.push(ms) });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(waits).toEqual([fast.maxDelayMs]);
  });

  it("abandons an attempt that gets no answer in time and tries again", async () => {
    let release!: () => void;
    const stuck = new Promise<void>((done) => (release = done));
    const hook = await receiver((_, index) => (index === 0 ? { hold: stuck } : { status: 200 }));
    try {
      const result = await deliverWebhook({ url: hook.url, body: "{}", signingKey, deliveryId: "d-6", policy: { ...fast, timeoutMs: 200 } });
      expect(result).toMatchObject({ ok: true, attempts: 2 });
    } finally {
      release();
    }
  });

  it("retries when nothing listens at the URL, then reports the network error", async () => {
    const hook = await receiver();
    const url = hook.url;
    await hook.close();
    const result = await deliverWebhook({ url, body: "{}", signingKey, deliveryId: "d-7", policy: { ...fast, attempts: 2 } });
    expect(result).toMatchObject({ ok: false, attempts: 2, status: null });
    expect(result.error).toBeTruthy();
  });
});

describe("notifications when a comment enters the queue", () => {
  it("sends one signed, Slack-compatible message for a queued comment, without email or IP", async () => {
    const hook = await receiver();
    const { app, listener } = await appWithWebhooks(`${hook.url}/slack`);
    const res = await postJson(app, "/v1/sites/demo/threads/world%2Fkabul/comments", commentBody({
      author: { name: "Ann Reader", email: "ann@example.com" },
      body: "Is this *really* true?",
      captchaToken: "test:0.52",
    }));
    expect(res.status).toBe(202);
    const id = (await res.json()).comment.id;
    await listener.idle();

    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    expect(verified(request)).toBe(true);
    const message = JSON.parse(request.body);
    expect(message).toMatchObject({
      type: "comment.queued",
      site: { id: "demo", name: "Demo" },
      comment: { id, threadId: "world/kabul", status: "pending", authorName: "Ann Reader", reasons: ["captcha_low_score"], captchaScore: 0.52 },
      reviewUrl: "https://mod.example/moderate",
    });
    expect(message.text).toContain("Comment awaiting moderation on Demo by Ann Reader (thread world/kabul)");
    expect(message.text).toContain("> Is this *really* true?");
    expect(message.text).toContain("Why: captcha score 0.52 below 0.7");
    expect(message.text).toContain("Review: https://mod.example/moderate");
    expect(request.body).not.toContain("ann@example.com");
    expect(request.body).not.toContain("203.0.113.7");
    expect(request.body).not.toMatch(/ipHash|authorHash|email/);
  });

  it("never notifies for spam (banned word or honeypot) nor for a published comment", async () => {
    const hook = await receiver();
    const { app, listener } = await appWithWebhooks(hook.url);
    const spamWord = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ body: "cheap viagra here" }), { "x-test-ip": "198.51.100.1" });
    const honeypot = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ body: "hello", website: "http://bot.example" }), { "x-test-ip": "198.51.100.2" });
    const lowScoreSpam = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ body: "viagra again", captchaToken: "test:0.5" }), { "x-test-ip": "198.51.100.3" });
    const published = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ body: "fine words" }), { "x-test-ip": "198.51.100.4" });
    expect([spamWord.status, honeypot.status, lowScoreSpam.status, published.status]).toEqual([202, 202, 202, 201]);
    await listener.idle();
    expect(hook.requests).toHaveLength(0);
  });

  it("notifies once when reader flags reach the site's threshold, with the flags counted", async () => {
    const hook = await receiver();
    const { app, listener } = await appWithWebhooks(hook.url);
    const posted = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ body: "a published opinion" }));
    const id = (await posted.json()).comment.id;
    const flag = (ip: string, reason: string) => postJson(app, `/v1/sites/demo/threads/t/comments/${id}/flags`, { reason }, { "x-test-ip": ip });

    expect((await flag("192.0.2.1", "spam")).status).toBe(202);
    await listener.idle();
    expect(hook.requests).toHaveLength(0);
    await flag("192.0.2.2", "abuse");
    await flag("192.0.2.3", "abuse");
    await listener.idle();

    expect(hook.requests).toHaveLength(1);
    const message = JSON.parse(hook.requests[0]!.body);
    expect(message.comment).toMatchObject({ id, status: "published", reasons: ["reader_flags"], flags: 2, flagReasons: { spam: 1, abuse: 1 } });
    expect(message.text).toContain("Why: flagged 2 times: spam (1), abuse (1)");
  });

  it("answers the reader without waiting for the webhook receiver", async () => {
    let release!: () => void;
    let released = false;
    const slow = new Promise<void>((done) => (release = () => ((released = true), done())));
    const hook = await receiver(() => ({ hold: slow }));
    const { app, listener } = await appWithWebhooks(hook.url);
    const res = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ captchaToken: "test:0.5" }));
    expect(res.status).toBe(202);
    expect(released).toBe(false);
    await hook.received(1);
    release();
    await listener.idle();
    expect(hook.requests).toHaveLength(1);
  });

  it("delivers to every configured webhook and keeps going when one of them is down", async () => {
    const down = await receiver(() => ({ status: 503 }));
    const up = await receiver();
    const listener = webhookQueueListener({ signingKey, background: true, policy: { ...fast, attempts: 2 }, logger: { error: () => undefined } });
    const { app } = await testApp({ sites: [site({ notify: { webhooks: [down.url, up.url] } })], queueListener: listener });
    expect((await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ captchaToken: "test:0.5" }))).status).toBe(202);
    await listener.idle();
    expect(down.requests).toHaveLength(2);
    expect(up.requests).toHaveLength(1);
  });

  it("escapes markup and mentions a reader wrote, so the message cannot ping a channel", async () => {
    const hook = await receiver();
    const { app, listener } = await appWithWebhooks(hook.url);
    await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ author: { name: "<!channel>" }, body: "@here look & <http://evil.example|click>", captchaToken: "test:0.5" }));
    await listener.idle();
    const { text } = JSON.parse(hook.requests[0]!.body);
    expect(text).toContain("by &lt;!channel&gt;");
    expect(text).toContain("> @\u200Bhere look &amp; &lt;http://evil.example|click&gt;");
    expect(text).not.toContain("<!channel>");
  });
});

describe("webhook configuration", () => {
  it("refuses webhooks without WEBHOOK_SIGNING_KEY, naming the variable and the sites", () => {
    const sites = parseSitesConfig({ sites: [site({ notify: { webhooks: ["https://hooks.example/x"] } })] }, { env: {} });
    expect(() => webhookListenerForSites(sites, {})).toThrow(SiteConfigError);
    expect(() => webhookListenerForSites(sites, {})).toThrow(/WEBHOOK_SIGNING_KEY: is not set.*sites\[0\]\.notify\.webhooks/);
    expect(() => webhookListenerForSites(sites, { WEBHOOK_SIGNING_KEY: "short" })).toThrow(/at least 16 characters/);
    expect(webhookListenerForSites(parseSitesConfig({ sites: [site()] }, { env: {} }), {})).toBeUndefined();
  });

  it("accepts https webhook URLs, and http only for localhost", () => {
    const parse = (url: string) => parseSitesConfig({ sites: [site({ notify: { webhooks: [url] } })] }, { env: {} });
    expect(parse("https://hooks.slack.com/services/T/B/X")[0]!.notify.webhooks).toHaveLength(1);
    expect(parse("http://127.0.0.1:9999/in")[0]!.notify.webhooks).toHaveLength(1);
    expect(() => parse("http://hooks.example/in")).toThrow(/sites\[0\]\.notify\.webhooks\[0\]: Must be an https URL/);
    expect(() => parse("ftp://hooks.example/in")).toThrow(SiteConfigError);
    expect(() => parseSitesConfig({ sites: [site({ notify: { webhook: [] } as never })] }, { env: {} })).toThrow(/webhook/);
  });
});

describe("the local server", () => {
  it("sends the signed webhook itself when a site configures one", async () => {
    const hook = await receiver();
    const server = await startApiServer({
      env: { WEBHOOK_SIGNING_KEY: signingKey },
      sites: [{ id: "demo", origins: [], captcha: { provider: "test" }, notify: { webhooks: [hook.url] } }],
    });
    try {
      const res = await fetch(`${server.url.replace("localhost", "127.0.0.1")}/v1/sites/demo/threads/t/comments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(commentBody({ captchaToken: "test:0.4" })),
      });
      expect(res.status).toBe(202);
      const [request] = await hook.received(1);
      expect(verified(request!)).toBe(true);
      expect(JSON.parse(request!.body)).toMatchObject({ reviewUrl: `http://localhost:${server.port}/moderate`, comment: { reasons: ["captcha_low_score"] } });
    } finally {
      await server.stop();
    }
  });
});

