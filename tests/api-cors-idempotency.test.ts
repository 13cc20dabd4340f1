import { describe, expect, it } from "vitest";
import { commentBody, postJson, testApp } from "./support/harness.ts";

const thread = "/v1/sites/demo/threads/t/comments";

describe("CORS", () => {
  it("sends no CORS headers to a request without Origin", async () => {
    const { app } = await testApp();
    const res = await app.request(thread);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("echoes a listed Origin, on success and on errors", async () => {
    const { app } = await testApp();
    const ok = await app.request(thread, { headers: { origin: "https://news.example" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://news.example");
    const bad = await postJson(app, thread, commentBody({ body: "" }), { origin: "https://news.example" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("access-control-allow-origin")).toBe("https://news.example");
  });

  it("refuses any other Origin with 403 origin_not_allowed, preflight included", async () => {
    const { app } = await testApp();
    const get = await app.request(thread, { headers: { origin: "https://evil.example" } });
    expect(get.status).toBe(403);
    expect((await get.json()).error.code).toBe("origin_not_allowed");
    const post = await postJson(app, thread, commentBody(), { origin: "https://news.example.evil.com" });
    expect(post.status).toBe(403);
    const preflight = await app.request(thread, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(403);
    // Nothing was stored by the refused POST.
    expect((await (await app.request(thread)).json()).comments).toEqual([]);
  });

  it("answers a preflight from a listed origin", async () => {
    const { app } = await testApp();
    const res = await app.request(thread, {
      method: "OPTIONS",
      headers: { origin: "https://news.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,idempotency-key" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://news.example");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
  });
});

describe("Idempotency-Key", () => {
  it("replays the same status and body for the same request and stores one comment", async () => {
    const { app } = await testApp();
    const headers = { "idempotency-key": "key-1" };
    const first = await postJson(app, thread, commentBody(), headers);
    const second = await postJson(app, thread, commentBody(), headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(await first.json());
    expect((await (await app.request(thread)).json()).thread.commentCount).toBe(1);
  });

  it("replays a queued answer too", async () => {
    const { app } = await testApp();
    const headers = { "idempotency-key": "key-q" };
    const first = await postJson(app, thread, commentBody({ captchaToken: "test:0.5" }), headers);
    const second = await postJson(app, thread, commentBody({ captchaToken: "test:0.5" }), headers);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await second.json()).toEqual(await first.json());
  });

  it("treats key order in the body as the same request", async () => {
    const { app } = await testApp();
    const headers = { "idempotency-key": "key-order" };
    await postJson(app, thread, '{"author":{"name":"A"},"body":"b","captchaToken":"test:0.9"}', headers);
    const again = await postJson(app, thread, '{"captchaToken":"test:0.9","body":"b","author":{"name":"A"}}', headers);
    expect(again.status).toBe(201);
  });

  it("answers 422 idempotency_key_reused for the same key with a different request", async () => {
    const { app } = await testApp();
    const headers = { "idempotency-key": "key-2" };
    await postJson(app, thread, commentBody({ body: "one" }), headers);
    const other = await postJson(app, thread, commentBody({ body: "two" }), headers);
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe("idempotency_key_reused");
    const otherThread = await postJson(app, "/v1/sites/demo/threads/elsewhere/comments", commentBody({ body: "one" }), headers);
    expect(otherThread.status).toBe(422);
  });

  it("never replays errors: a refused request can be retried with the same key", async () => {
    const { app } = await testApp();
    const headers = { "idempotency-key": "key-3" };
    expect((await postJson(app, thread, commentBody({ captchaToken: "test:fail" }), headers)).status).toBe(403);
    expect((await postJson(app, thread, commentBody({ captchaToken: "test:0.9" }), headers)).status).toBe(201);
  });

  it("does not call the provider again or count against the rate limit on replay", async () => {
    const { app } = await testApp({ sites: [{ id: "demo", origins: [], rateLimit: { perMinute: 1 } }] });
    const headers = { "idempotency-key": "key-4" };
    expect((await postJson(app, thread, commentBody(), headers)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await postJson(app, thread, commentBody(), headers)).status).toBe(201);
  });

  it("stores one comment when the same request races with itself", async () => {
    const { app } = await testApp({ sites: [{ id: "demo", origins: [], rateLimit: { perMinute: 100 } }] });
    const headers = { "idempotency-key": "key-race" };
    const answers = await Promise.all(Array.from({ length: 8 }, () => postJson(app, thread, commentBody(), headers)));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.every((r) => r.status === 201)).toBe(true);
    expect(new Set(bodies.map((b) => b.comment.id)).size).toBe(1);
    expect((await (await app.request(thread)).json()).thread.commentCount).toBe(1);
  });

  it("keys are scoped per site", async () => {
    const { app } = await testApp({ sites: [{ id: "demo", origins: [] }, { id: "other", origins: [] }] });
    const headers = { "idempotency-key": "shared" };
    expect((await postJson(app, thread, commentBody(), headers)).status).toBe(201);
    expect((await postJson(app, "/v1/sites/other/threads/t/comments", commentBody({ body: "different" }), headers)).status).toBe(201);
  });

  it("rejects a malformed key", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, commentBody(), { "idempotency-key": "x".repeat(300) });
    expect(res.status).toBe(400);
  });
});
