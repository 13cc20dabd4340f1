import { describe, expect, it } from "vitest";
import { auditPageSchema, modCommentSchema, queuePageSchema } from "@comments/core";
import { newModeratorKey } from "@comments/api";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";

const threadPath = "/v1/sites/demo/threads/t/comments";
const decide = (app: Awaited<ReturnType<typeof testApp>>["app"], id: string, body: unknown, key?: string) =>
  postJson(app, `/v1/sites/demo/threads/t/comments/${id}/decision`.replace("/v1/sites", "/v1/mod/sites"), body, asModerator(key));

async function queued(app: Awaited<ReturnType<typeof testApp>>["app"], body = "needs review") {
  const res = await postJson(app, threadPath, commentBody({ body, captchaToken: "test:0.5" }));
  return (await res.json()).comment.id as string;
}

describe("moderator authentication", () => {
  it("answers 401 unauthorized for a missing, malformed or wrong key on every route", async () => {
    const { app } = await testApp();
    const routes: [string, string][] = [
      ["GET", "/v1/mod/sites/demo/queue"],
      ["GET", "/v1/mod/sites/demo/audit"],
      ["GET", "/v1/mod/sites/demo/bans"],
      ["POST", "/v1/mod/sites/demo/bans"],
      ["DELETE", "/v1/mod/sites/demo/bans/01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["POST", "/v1/mod/sites/demo/threads/t/comments/01ARZ3NDEKTSV4RRFFQ69G5FAV/decision"],
      ["GET", "/v1/mod/sites/nope/queue"],
    ];
    for (const [method, route] of routes) {
      for (const authorization of [undefined, "Bearer", "Basic abc", "Bearer wrong-key", "Bearer mk_AAAAAAAAAAAAAAAA.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]) {
        const res = await app.request(route, { method, headers: authorization ? { authorization } : {} });
        expect(res.status, `${method} ${route} with ${authorization}`).toBe(401);
        expect((await res.json()).error.code).toBe("unauthorized");
      }
    }
  });

  it("checks key, then site (404), then the key's sites (403)", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store, sites: [site(), { id: "other", origins: [] }] });
    const { key, record } = newModeratorKey("alice", ["other"], new Date());
    await store.putModeratorKey(record);
    expect((await app.request("/v1/mod/sites/nope/queue", { headers: asModerator(key) })).status).toBe(404);
    const forbidden = await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(key) });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("forbidden");
    expect((await app.request("/v1/mod/sites/other/queue", { headers: asModerator(key) })).status).toBe(200);
    expect(await (await app.request("/v1/mod/me", { headers: asModerator(key) })).json()).toEqual({ name: "alice", role: "moderator", sites: [{ id: "other", name: "other" }] });
  });

  it("refuses a revoked key", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store });
    const { key, record } = newModeratorKey("bob", ["demo"], new Date());
    await store.putModeratorKey(record);
    expect((await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(key) })).status).toBe(200);
    await store.revokeModeratorKey(record.keyId, new Date());
    expect((await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(key) })).status).toBe(401);
  });

  it("stores only the hash of a key's secret", async () => {
    const { key, record } = newModeratorKey("carol", ["demo"], new Date());
    expect(JSON.stringify(record)).not.toContain(key.split(".")[1]);
  });
});

describe("moderation queue and decisions", () => {
  it("lists the queue oldest first with reasons, score and the author's email", async () => {
    const { app } = await testApp();
    const first = await queued(app, "first");
    await postJson(app, threadPath, commentBody({ body: "published" }));
    const second = (await (await postJson(app, threadPath, commentBody({ body: "second", captchaToken: "test:0.4", author: { name: "Eve", email: "eve@example.com" } }))).json()).comment.id;
    const page = queuePageSchema.parse(await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json());
    expect(page.items.map((i) => i.id)).toEqual([first, second]);
    expect(page.items[1]).toMatchObject({ status: "pending", reasons: ["captcha_low_score"], captchaScore: 0.4, flags: 0, author: { name: "Eve", email: "eve@example.com", url: null } });
  });

  it("pages the queue with limit and cursor", async () => {
    const { app } = await testApp({ sites: [site({ rateLimit: { perMinute: 100, perHour: 100 } })] });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await queued(app, `q${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.request(`/v1/mod/sites/demo/queue?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: asModerator() });
      const page = queuePageSchema.parse(await res.json());
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect((await app.request("/v1/mod/sites/demo/queue?limit=0", { headers: asModerator() })).status).toBe(400);
    expect((await app.request("/v1/mod/sites/demo/queue?cursor=bad", { headers: asModerator() })).status).toBe(400);
  });

  it("approving publishes the comment, counts it and records the audit entry", async () => {
    const { app } = await testApp();
    const id = await queued(app);
    const res = await decide(app, id, { action: "approve", note: "fine" });
    expect(res.status).toBe(200);
    expect(modCommentSchema.parse((await res.json()).comment)).toMatchObject({ id, status: "published" });
    const page = await (await app.request(threadPath)).json();
    expect(page.thread.commentCount).toBe(1);
    expect(page.comments.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items).toEqual([]);
    const audit = auditPageSchema.parse(await (await app.request("/v1/mod/sites/demo/audit", { headers: asModerator() })).json());
    expect(audit.items[0]).toMatchObject({ moderator: "dev", action: "approve", threadId: "t", commentId: id, fromStatus: "pending", toStatus: "published", note: "fine" });
  });

  it("rejecting or marking spam keeps the comment hidden", async () => {
    const { app } = await testApp();
    const a = await queued(app, "a");
    const b = await queued(app, "b");
    expect((await (await decide(app, a, { action: "reject" })).json()).comment.status).toBe("rejected");
    expect((await (await decide(app, b, { action: "spam" })).json()).comment.status).toBe("spam");
    const page = await (await app.request(threadPath)).json();
    expect(page.comments).toEqual([]);
    expect(page.thread.commentCount).toBe(0);
  });

  it("answers 409 already_decided with the current status for a second decision", async () => {
    const { app } = await testApp();
    const id = await queued(app);
    await decide(app, id, { action: "reject" });
    const res = await decide(app, id, { action: "approve" });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: "already_decided", status: "rejected" });
    const published = (await (await postJson(app, threadPath, commentBody({ body: "clear" }))).json()).comment.id;
    expect((await decide(app, published, { action: "spam" })).status).toBe(409);
  });

  it("lets exactly one of two concurrent moderators win", async () => {
    const { app } = await testApp({ sites: [site({ rateLimit: { perMinute: 100, perHour: 100 } })] });
    for (let round = 0; round < 5; round++) {
      const id = await queued(app, `contested ${round}`);
      const answers = await Promise.all([decide(app, id, { action: "approve" }), decide(app, id, { action: "reject" }), decide(app, id, { action: "spam" })]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
    }
    const audit = await (await app.request("/v1/mod/sites/demo/audit?limit=100", { headers: asModerator() })).json();
    expect(audit.items).toHaveLength(5);
    const page = await (await app.request(threadPath)).json();
    expect(page.thread.commentCount).toBe(page.comments.length);
  });

  it("answers 404 comment_not_found and 400 for an invalid action", async () => {
    const { app } = await testApp();
    expect((await decide(app, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { action: "approve" })).status).toBe(404);
    const id = await queued(app);
    const bad = await decide(app, id, { action: "delete" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toHaveProperty("action");
  });

  it("keeps the thread counter equal to the published comments after a mixed run", async () => {
    const { app } = await testApp({ sites: [site({ rateLimit: { perMinute: 1000, perHour: 1000 } })] });
    const pending: string[] = [];
    for (let i = 0; i < 12; i++) {
      const token = i % 3 === 0 ? "test:0.5" : "test:0.9";
      const res = await postJson(app, threadPath, commentBody({ body: `mixed ${i}`, captchaToken: token }), { "x-test-ip": `10.1.0.${i}` });
      if (res.status === 202) pending.push((await res.json()).comment.id);
    }
    await Promise.all(pending.map((id, i) => decide(app, id, { action: i % 2 === 0 ? "approve" : "reject" })));
    const page = await (await app.request(`${threadPath}?limit=100`)).json();
    expect(page.thread.commentCount).toBe(page.comments.length);
    expect(page.comments.length).toBe(8 + 2);
  });
});

describe("reader flags", () => {
  it("queues a published comment at the threshold of distinct flaggers, keeping it visible", async () => {
    const { app } = await testApp();
    const id = (await (await postJson(app, threadPath, commentBody())).json()).comment.id;
    const flag = (ip: string, reason = "abuse") => postJson(app, `${threadPath}/${id}/flags`, { reason }, { "x-test-ip": ip });
    expect((await flag("1.1.1.1")).status).toBe(202);
    expect(await (await flag("1.1.1.1")).json()).toEqual({ ok: true });
    expect(await (await flag("2.2.2.2", "spam")).json()).toEqual({ ok: true });
    const queueBefore = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queueBefore.items).toEqual([]);
    await flag("3.3.3.3");
    const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ id, status: "published", flags: 3, flagReasons: { abuse: 2, spam: 1 }, reasons: ["reader_flags"] });
    expect((await (await app.request(threadPath)).json()).comments).toHaveLength(1);
  });

  it("approve clears the flags; reject hides the comment and lowers the count", async () => {
    const { app } = await testApp({ sites: [site({ moderation: { flagThreshold: 1 } })] });
    const keep = (await (await postJson(app, threadPath, commentBody({ body: "keep" }))).json()).comment.id;
    const drop = (await (await postJson(app, threadPath, commentBody({ body: "drop" }))).json()).comment.id;
    await postJson(app, `${threadPath}/${keep}/flags`, { reason: "other" });
    await postJson(app, `${threadPath}/${drop}/flags`, { reason: "abuse" });
    const approved = await (await decide(app, keep, { action: "approve" })).json();
    expect(approved.comment).toMatchObject({ status: "published", flags: 0, flagReasons: {} });
    await decide(app, drop, { action: "reject" });
    const page = await (await app.request(threadPath)).json();
    expect(page.comments.map((c: { id: string }) => c.id)).toEqual([keep]);
    expect(page.thread.commentCount).toBe(1);
  });

  it("answers 404 for unknown or unpublished comments and 400 for a bad reason", async () => {
    const { app } = await testApp();
    const pending = await queued(app);
    expect((await postJson(app, `${threadPath}/${pending}/flags`, { reason: "spam" })).status).toBe(404);
    expect((await postJson(app, `${threadPath}/01ARZ3NDEKTSV4RRFFQ69G5FAV/flags`, { reason: "spam" })).status).toBe(404);
    const id = (await (await postJson(app, threadPath, commentBody())).json()).comment.id;
    const bad = await postJson(app, `${threadPath}/${id}/flags`, { reason: "boring" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("validation_failed");
  });
});

describe("bans", () => {
  it("bans a comment's author, refuses their next comment, lists and lifts the ban", async () => {
    const { app } = await testApp();
    const author = { name: "Troll", email: "troll@example.com" };
    const id = (await (await postJson(app, threadPath, commentBody({ author, body: "bad" }))).json()).comment.id;
    const res = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: id, reason: "abuse", days: 7 }, asModerator());
    expect(res.status).toBe(201);
    const { ban } = await res.json();
    expect(ban).toEqual({ id: expect.any(String), reason: "abuse", createdAt: expect.any(String), expiresAt: expect.any(String) });
    const refused = await postJson(app, threadPath, commentBody({ author, body: "again" }));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("author_banned");
    // Same IP, different email: still banned (by IP hash).
    expect((await postJson(app, threadPath, commentBody({ author: { name: "Sock" }, body: "sock" }))).status).toBe(403);
    const list = await (await app.request("/v1/mod/sites/demo/bans", { headers: asModerator() })).json();
    expect(list.items.map((b: { id: string }) => b.id)).toEqual([ban.id]);
    expect(JSON.stringify(list)).not.toMatch(/hash/i);
    expect((await app.request(`/v1/mod/sites/demo/bans/${ban.id}`, { method: "DELETE", headers: asModerator() })).status).toBe(204);
    expect((await postJson(app, threadPath, commentBody({ author, body: "reformed" }))).status).toBe(201);
    const again = await app.request(`/v1/mod/sites/demo/bans/${ban.id}`, { method: "DELETE", headers: asModerator() });
    expect(again.status).toBe(404);
    expect((await again.json()).error.code).toBe("ban_not_found");
  });

  it("expires a ban after its days", async () => {
    let now = new Date("2026-03-01T00:00:00Z");
    const { app } = await testApp({ now: () => now });
    const id = (await (await postJson(app, threadPath, commentBody({ body: "x" }))).json()).comment.id;
    await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: id, reason: "cool off", days: 1 }, asModerator());
    expect((await postJson(app, threadPath, commentBody({ body: "y" }))).status).toBe(403);
    now = new Date("2026-03-02T00:00:01Z");
    expect((await postJson(app, threadPath, commentBody({ body: "z" }))).status).toBe(201);
    expect((await (await app.request("/v1/mod/sites/demo/bans", { headers: asModerator() })).json()).items).toEqual([]);
  });

  it("answers 404 comment_not_found for an unknown comment and a permanent ban without days", async () => {
    const { app } = await testApp();
    expect((await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", reason: "x" }, asModerator())).status).toBe(404);
    const id = (await (await postJson(app, threadPath, commentBody())).json()).comment.id;
    const res = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: id, reason: "forever" }, asModerator());
    expect((await res.json()).ban.expiresAt).toBeNull();
  });
});
