import { describe, expect, it } from "vitest";
import { newModeratorKey } from "@comments/api";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";

const threadPath = "/v1/sites/demo/threads/t/comments";
type App = Awaited<ReturnType<typeof testApp>>["app"];

const queue = async (app: App) => (await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items as Array<Record<string, unknown>>;
const audit = async (app: App, key?: string) => (await (await app.request("/v1/mod/sites/demo/audit", { headers: asModerator(key) })).json()).items as Array<Record<string, unknown>>;
const thread = async (app: App) => (await (await app.request(threadPath)).json()) as { thread: { commentCount: number }; comments: Array<{ id: string }> };
const flag = (app: App, id: string, ip: string, reason = "abuse") => postJson(app, `${threadPath}/${id}/flags`, { reason }, { "x-test-ip": ip });
const decide = (app: App, id: string, action: string, note?: string, key?: string) =>
  postJson(app, `/v1/mod/sites/demo/threads/t/comments/${id}/decision`, { action, ...(note ? { note } : {}) }, asModerator(key));
const publish = async (app: App, body: string, ip = "203.0.113.50", author: Record<string, unknown> = { name: "Ann" }) => {
  const res = await postJson(app, threadPath, commentBody({ body, author }), { "x-test-ip": ip });
  expect(res.status).toBe(201);
  return (await res.json()).comment.id as string;
};

describe("reader flags reaching the queue", () => {
  it("counts each reader once (by IP) and every reason, queueing the comment at the threshold", async () => {
    const { app } = await testApp({ sites: [site({ moderation: { flagThreshold: 3 } })] });
    const id = await publish(app, "a strong opinion");
    await flag(app, id, "192.0.2.1", "spam");
    await flag(app, id, "192.0.2.1", "abuse"); // the same reader again: not counted
    await flag(app, id, "192.0.2.2", "spam");
    expect(await queue(app)).toEqual([]);
    await flag(app, id, "192.0.2.3", "off_topic");
    expect(await queue(app)).toEqual([
      expect.objectContaining({ id, status: "published", flags: 3, flagReasons: { spam: 2, off_topic: 1 }, reasons: ["reader_flags"] }),
    ]);
  });

  it("dismissing flags (approve) keeps the comment published and counted, clears them and leaves the queue", async () => {
    const now = new Date("2026-02-01T09:30:00Z");
    const { app } = await testApp({ sites: [site({ moderation: { flagThreshold: 2 } })], now: () => now });
    const id = await publish(app, "flag me");
    await flag(app, id, "192.0.2.1");
    await flag(app, id, "192.0.2.2");
    const res = await decide(app, id, "approve", "fair criticism, not abuse");
    expect(res.status).toBe(200);
    expect((await res.json()).comment).toMatchObject({ id, status: "published", flags: 0, flagReasons: {} });
    expect(await queue(app)).toEqual([]);
    const page = await thread(app);
    expect(page.comments.map((c) => c.id)).toEqual([id]);
    expect(page.thread.commentCount).toBe(1);
    expect((await audit(app))[0]).toEqual({
      at: "2026-02-01T09:30:00.000Z",
      moderator: "dev",
      action: "approve",
      threadId: "t",
      commentId: id,
      fromStatus: "published",
      toStatus: "published",
      note: "fair criticism, not abuse",
    });
  });

  it("brings a dismissed comment back only when new readers flag it to the threshold", async () => {
    const { app } = await testApp({ sites: [site({ moderation: { flagThreshold: 2 } })] });
    const id = await publish(app, "controversial");
    await flag(app, id, "192.0.2.1");
    await flag(app, id, "192.0.2.2");
    await decide(app, id, "approve");
    await flag(app, id, "192.0.2.1"); // already flagged once: does not count again
    await flag(app, id, "192.0.2.3");
    expect(await queue(app)).toEqual([]);
    await flag(app, id, "192.0.2.4", "spam");
    expect(await queue(app)).toEqual([expect.objectContaining({ id, flags: 2, flagReasons: { abuse: 1, spam: 1 } })]);
  });

  it("marking a flagged comment as spam hides it, lowers the count, and a second decision is 409 already_decided by whom", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store, sites: [site({ moderation: { flagThreshold: 1 } })] });
    const { key, record } = newModeratorKey("alice", ["demo"], new Date());
    await store.putModeratorKey(record);
    const keep = await publish(app, "fine");
    const id = await publish(app, "casino casino", "203.0.113.51");
    await flag(app, id, "192.0.2.1", "spam");
    expect((await decide(app, id, "spam", "casino ads", key)).status).toBe(200);
    const page = await thread(app);
    expect(page.comments.map((c) => c.id)).toEqual([keep]);
    expect(page.thread.commentCount).toBe(1);
    const second = await decide(app, id, "approve");
    expect(second.status).toBe(409);
    expect((await second.json()).error).toMatchObject({ code: "already_decided", status: "spam", decidedBy: "alice" });
    expect((await audit(app))[0]).toMatchObject({ moderator: "alice", action: "spam", fromStatus: "published", toStatus: "spam", note: "casino ads" });
  });
});

describe("bans: list, lift, expiry", () => {
  async function banned(days?: number) {
    let now = new Date("2026-03-01T12:00:00Z");
    const { app } = await testApp({ now: () => now });
    const author = { name: "Troll", email: "troll@example.com" };
    const id = await publish(app, "bad words", "203.0.113.60", author);
    const res = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: id, reason: "abuse", ...(days ? { days } : {}) }, asModerator());
    expect(res.status).toBe(201);
    const { ban } = await res.json();
    return { app, ban, author, setNow: (iso: string) => (now = new Date(iso)) };
  }
  const postAs = (app: App, author: Record<string, unknown>, ip: string, body: string) => postJson(app, threadPath, commentBody({ author, body }), { "x-test-ip": ip });

  it("refuses the author until the last second of the ban, then lets them comment again", async () => {
    const { app, ban, author, setNow } = await banned(2);
    expect(ban.expiresAt).toBe("2026-03-03T12:00:00.000Z");
    setNow("2026-03-03T11:59:59Z");
    const refused = await postAs(app, author, "198.51.100.1", "from another network, same email");
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({ code: "author_banned" });
    expect((await postAs(app, { name: "Sock puppet" }, "203.0.113.60", "same address, new name")).status).toBe(403);
    setNow("2026-03-03T12:00:01Z");
    expect((await postAs(app, author, "198.51.100.1", "I am back")).status).toBe(201);
  });

  it("lists only active bans, with author name and reason but no hashes; an expired ban cannot be lifted", async () => {
    const { app, ban, setNow } = await banned(1);
    const list = await (await app.request("/v1/mod/sites/demo/bans", { headers: asModerator() })).json();
    expect(list.items).toEqual([expect.objectContaining({ id: ban.id, reason: "abuse", authorName: "Troll", expiresAt: "2026-03-02T12:00:00.000Z" })]);
    expect(JSON.stringify(list)).not.toMatch(/hash|troll@example\.com/i);
    setNow("2026-03-05T00:00:00Z");
    expect((await (await app.request("/v1/mod/sites/demo/bans", { headers: asModerator() })).json()).items).toEqual([]);
    const lift = await app.request(`/v1/mod/sites/demo/bans/${ban.id}`, { method: "DELETE", headers: asModerator() });
    expect(lift.status).toBe(404);
    expect((await lift.json()).error.code).toBe("ban_not_found");
  });

  it("keeps a ban without days in force years later", async () => {
    const { app, author, setNow } = await banned();
    setNow("2036-03-01T12:00:00Z");
    expect((await postAs(app, author, "198.51.100.2", "ten years on")).status).toBe(403);
  });

  it("records the ban and its lifting in the audit log with who, when and why", async () => {
    const { app, ban, author, setNow } = await banned(7);
    setNow("2026-03-02T08:00:00Z");
    expect((await app.request(`/v1/mod/sites/demo/bans/${ban.id}`, { method: "DELETE", headers: asModerator() })).status).toBe(204);
    expect((await postAs(app, author, "198.51.100.3", "thank you")).status).toBe(201);
    const [unban, made] = await audit(app);
    expect(made).toMatchObject({ at: "2026-03-01T12:00:00.000Z", moderator: "dev", action: "ban", note: "abuse (until 2026-03-08T12:00:00.000Z)" });
    expect(unban).toMatchObject({ at: "2026-03-02T08:00:00.000Z", moderator: "dev", action: "unban", note: `ban ${ban.id} lifted` });
  });
});
