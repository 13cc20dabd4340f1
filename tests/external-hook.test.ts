import { afterEach, describe, expect, it } from "vitest";
import { parseSitesConfig } from "@comments/core";
import { verifyWebhook } from "@comments/api";
import { asModerator, commentBody, postJson, site, testApp } from "./support/harness.ts";
import { startReceiver, type HttpReceiver, type ReceiverAnswer } from "./support/http-receiver.ts";

const threadPath = "/v1/sites/demo/threads/news%2F42/comments";
let hook: HttpReceiver | undefined;
let releaseHeld: () => void = () => undefined;
afterEach(async () => {
  releaseHeld();
  await hook?.close();
  hook = undefined;
});

/** The real app with a site whose external hook is a real local HTTP server answering as told. */
async function appWithHook(answer: (index: number) => ReceiverAnswer, timeoutMs = 2000, secrets: Record<string, string> = {}) {
  hook = await startReceiver((_, index) => answer(index));
  const { app } = await testApp({ sites: [site({ moderation: { externalHook: { url: `${hook.url}/moderate`, timeoutMs } } })], secrets });
  return app;
}

async function queueItem(app: Awaited<ReturnType<typeof appWithHook>>, id: string) {
  const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
  return queue.items.find((item: { id: string }) => item.id === id);
}

const json = (value: unknown): ReceiverAnswer => ({ status: 200, body: JSON.stringify(value) });

describe("external moderation hook", () => {
  it("sends the candidate comment without email or IP and publishes when the hook says published", async () => {
    const app = await appWithHook(() => json({ status: "published" }));
    const res = await postJson(app, threadPath, commentBody({ author: { name: "Ann", email: "ann@example.com", url: "https://ann.example" }, body: "Hello *world*" }));
    expect(res.status).toBe(201);
    expect(hook!.requests).toHaveLength(1);
    const request = hook!.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/moderate");
    expect(JSON.parse(request.body)).toEqual({
      site: "demo",
      thread: "news/42",
      body: "Hello *world*",
      bodyHtml: expect.stringContaining("<em>world</em>"),
      author: { name: "Ann" },
      captchaScore: 0.9,
    });
    expect(request.body).not.toContain("ann@example.com");
    expect(request.body).not.toContain("203.0.113.7");
  });

  it("queues the comment with the hook's reason when the hook says pending", async () => {
    const app = await appWithHook(() => json({ status: "pending", reason: "toxicity 0.91" }));
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    const item = await queueItem(app, (await res.json()).comment.id);
    expect(item).toMatchObject({ status: "pending", reasons: ["external_hook"], details: ["external hook: toxicity 0.91"] });
  });

  it("keeps the comment out of sight and out of the queue when the hook says spam", async () => {
    const app = await appWithHook(() => json({ status: "spam", reason: "link farm" }));
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    expect((await res.json()).comment.status).toBe("pending");
    const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queue.items).toEqual([]);
    const thread = await (await app.request(threadPath)).json();
    expect(thread.comments).toEqual([]);
  });

  it("cannot publish a comment the built-in phases queued", async () => {
    const app = await appWithHook(() => json({ status: "published" }));
    const res = await postJson(app, threadPath, commentBody({ captchaToken: "test:0.5" }));
    expect(res.status).toBe(202);
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({ reasons: ["captcha_low_score"] });
  });

  const failures: Array<[string, () => ReceiverAnswer, string]> = [
    ["answers 500", () => ({ status: 500, body: "oops" }), "external hook unavailable (HTTP 500)"],
    ["answers something that is not JSON", () => ({ status: 200, body: "<html>ok</html>" }), "external hook unavailable (answer is not JSON)"],
    ["answers JSON of the wrong shape", () => json({ status: "approve" }), 'external hook unavailable (answer must be {"status": "published"|"pending"|"spam", "reason"?})'],
    ["answers with a redirect", () => ({ status: 302, headers: { location: "http://127.0.0.1:9/" } }), "external hook unavailable (could not be reached)"],
  ];
  for (const [what, answer, detail] of failures) {
    it(`queues the comment (never loses it) when the hook ${what}`, async () => {
      const app = await appWithHook(answer);
      const res = await postJson(app, threadPath, commentBody());
      expect(res.status).toBe(202);
      const item = await queueItem(app, (await res.json()).comment.id);
      expect(item).toMatchObject({ status: "pending", reasons: ["external_hook"], details: [detail] });
    });
  }

  it("queues the comment when the hook does not answer within timeoutMs", async () => {
    const held = new Promise<void>((done) => (releaseHeld = done));
    const app = await appWithHook(() => ({ hold: held, ...json({ status: "published" }) }), 300);
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    const item = await queueItem(app, (await res.json()).comment.id);
    expect(item).toMatchObject({ status: "pending", reasons: ["external_hook"], details: ["external hook unavailable (no answer within 300 ms)"] });
  });

  it("queues the comment when nothing listens at the hook's address", async () => {
    const app = await appWithHook(() => json({ status: "published" }));
    await hook!.close();
    hook = undefined;
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({ reasons: ["external_hook"], details: ["external hook unavailable (could not be reached)"] });
  });

  it("signs hook requests when WEBHOOK_SIGNING_KEY is set, so the hook can check the sender", async () => {
    const key = "hook-signing-key-0123456789";
    const app = await appWithHook(() => json({ status: "published" }), 2000, { WEBHOOK_SIGNING_KEY: key });
    expect((await postJson(app, threadPath, commentBody())).status).toBe(201);
    const request = hook!.requests[0]!;
    expect(verifyWebhook({ key, body: request.body, signature: request.headers["x-comments-signature"] as string, timestamp: request.headers["x-comments-timestamp"] as string })).toBe(true);
  });

  it("is not called for sites without a hook", async () => {
    hook = await startReceiver(() => json({ status: "spam" }));
    const { app } = await testApp({ sites: [site(), site({ id: "hooked", moderation: { externalHook: { url: hook.url } } })] });
    expect((await postJson(app, threadPath, commentBody())).status).toBe(201);
    expect(hook.requests).toHaveLength(0);
    expect((await postJson(app, "/v1/sites/hooked/threads/t/comments", commentBody(), { "x-test-ip": "198.51.100.9" })).status).toBe(202);
    expect(hook.requests).toHaveLength(1);
  });
});

describe("external hook configuration", () => {
  const parse = (externalHook: unknown) => parseSitesConfig({ sites: [site({ moderation: { externalHook } as never })] }, { env: {} })[0]!;

  it("defaults to no hook and a 2000 ms timeout when one is set", () => {
    expect(parseSitesConfig({ sites: [site()] }, { env: {} })[0]!.moderation.externalHook).toBeNull();
    expect(parse({ url: "https://mod.example/check" }).moderation.externalHook).toEqual({ url: "https://mod.example/check", timeoutMs: 2000 });
  });

  it("refuses plain http except for localhost, and unknown fields", () => {
    expect(parse({ url: "http://localhost:8080/check" }).moderation.externalHook?.url).toBe("http://localhost:8080/check");
    expect(() => parse({ url: "http://mod.example/check" })).toThrow(/sites\[0\]\.moderation\.externalHook\.url: Must be an https URL/);
    expect(() => parse({ url: "https://mod.example/check", timeout: 5 })).toThrow(/timeout/);
    expect(() => parse({ url: "https://mod.example/check", timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
