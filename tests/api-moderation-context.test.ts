import { describe, expect, it } from "vitest";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { auditPageSchema, authorCommentsPageSchema, bulkDecisionResultSchema, modCommentSchema, queuePageSchema } from "@comments/core";
import { commentToItem, threadKey } from "@comments/store";
import { asModerator, commentBody, freshStore, postJson, readThreadPage, site, testApp } from "./support/harness.ts";

const threadPath = "/v1/sites/demo/threads/t/comments";
const eve = { name: "Eve", email: "eve@example.com" };

async function setup() {
  const fresh = await freshStore();
  const { app } = await testApp({ store: fresh.store, sites: [site({ rateLimit: { perMinute: 1000, perHour: 1000 } })] });
  const post = async (overrides: Record<string, unknown>, path = threadPath) => (await (await postJson(app, path, commentBody(overrides))).json()).comment.id as string;
  const queue = async () => queuePageSchema.parse(await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items;
  const audit = async () => auditPageSchema.parse(await (await app.request("/v1/mod/sites/demo/audit?limit=100", { headers: asModerator() })).json()).items;
  const bulk = (body: unknown) => postJson(app, "/v1/mod/sites/demo/decisions", body, asModerator());
  const decide = (id: string, action: string, threadId = "t") => postJson(app, `/v1/mod/sites/demo/threads/${threadId}/comments/${id}/decision`, { action }, asModerator());
  const authorPage = async (ref: string, query = "") => app.request(`/v1/mod/sites/demo/authors/${ref}/comments${query}`, { headers: asModerator() });
  return { ...fresh, app, post, queue, audit, bulk, decide, authorPage };
}

describe("context of a queued comment", () => {
  it("shows the article, the parent comment, the edit history and the author's record", async () => {
    const { app, store, clients, tableName, post, queue, decide } = await setup();
    const parent = await post({ author: { name: "Pat" }, body: "The parent comment." });
    await post({ author: eve, body: "Eve was here." });
    await post({ author: eve, body: "Buy now", website: "https://spam.example" });
    const reply = await post({ author: eve, body: "A reply that needs review.", parentId: parent, captchaToken: "test:0.5" });

    // The article's address and title, as the thread item carries them.
    await clients.documentClient.send(
      new UpdateCommand({ TableName: tableName, Key: threadKey({ siteId: "demo", threadId: "t" }), UpdateExpression: "SET #u = :u, title = :t", ExpressionAttributeNames: { "#u": "url" }, ExpressionAttributeValues: { ":u": "https://news.example/story", ":t": "A story" } }),
    );
    let [item] = await queue();
    expect(item).toMatchObject({
      id: reply,
      thread: { url: "https://news.example/story", title: "A story" },
      parent: { id: parent, author: { name: "Pat" }, bodyHtml: "<p>The parent comment.</p>" },
      editedAt: null,
      history: [],
      author: { name: "Eve", email: "eve@example.com", counts: { published: 1, pending: 1, rejected: 0, spam: 1 }, banned: false },
    });
    expect(item!.author.ref).toMatch(/^[A-Za-z0-9_-]+$/);

    // An edited comment carries when and what it said before.
    const stored = (await store.getComment("demo", "t", reply))!;
    const key = commentToItem(stored);
    await clients.documentClient.send(
      new UpdateCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, UpdateExpression: "SET editedAt = :at, history = :h", ExpressionAttributeValues: { ":at": "2026-01-02T03:04:05.000Z", ":h": [{ body: "First words.", at: "2026-01-02T03:00:00.000Z" }] } }),
    );
    [item] = await queue();
    expect(item).toMatchObject({ editedAt: "2026-01-02T03:04:05.000Z", history: [{ body: "First words.", at: "2026-01-02T03:00:00.000Z" }] });

    // Counts move with decisions; a ban shows.
    const decided = modCommentSchema.parse((await (await decide(reply, "reject")).json()).comment);
    expect(decided.author.counts).toEqual({ published: 1, pending: 0, rejected: 1, spam: 1 });
    expect(decided.editedAt).toBe("2026-01-02T03:04:05.000Z");
    const next = await post({ author: eve, body: "Another one for review.", captchaToken: "test:0.5" });
    expect((await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: next, reason: "abuse" }, asModerator())).status).toBe(201);
    [item] = await queue();
    expect(item).toMatchObject({ id: next, parent: null, author: { banned: true, counts: { published: 1, pending: 1, rejected: 1, spam: 1 } } });
  });

  it("has no article yet for a thread without url and title, and one ref per author (email compared case-insensitively)", async () => {
    const { post, queue } = await setup();
    await post({ author: eve, body: "one", captchaToken: "test:0.5" });
    await post({ author: { name: "Bob", email: "bob@example.com" }, body: "two", captchaToken: "test:0.5" });
    await post({ author: { name: "EVE", email: "EVE@example.com" }, body: "three", captchaToken: "test:0.5" });
    const items = await queue();
    expect(items.map((i) => i.thread)).toEqual([{ url: null, title: null }, { url: null, title: null }, { url: null, title: null }]);
    expect(items[0]!.author.ref).toBe(items[2]!.author.ref);
    expect(items[0]!.author.ref).not.toBe(items[1]!.author.ref);
  });
});

describe("all comments by an author", () => {
  it("lists every comment of the author on the site, any status, newest first, in pages", async () => {
    const { post, queue, authorPage } = await setup();
    const ids = [
      await post({ author: eve, body: "published one" }),
      await post({ author: eve, body: "spam one", website: "x" }),
      await post({ author: { name: "Bob" }, body: "not Eve's" }),
      await post({ author: eve, body: "pending one", captchaToken: "test:0.5" }),
      await post({ author: eve, body: "elsewhere" }, "/v1/sites/demo/threads/other-thread/comments"),
    ];
    const ref = (await queue()).find((i) => i.id === ids[3])!.author.ref!;
    const all = authorCommentsPageSchema.parse(await (await authorPage(ref)).json());
    expect(all.items.map((i) => i.id)).toEqual([ids[4], ids[3], ids[1], ids[0]]);
    expect(all.items.map((i) => i.status)).toEqual(["published", "pending", "spam", "published"]);
    expect(all.nextCursor).toBeNull();

    const first = authorCommentsPageSchema.parse(await (await authorPage(ref, "?limit=3")).json());
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[3], ids[1]]);
    const second = authorCommentsPageSchema.parse(await (await authorPage(ref, `?limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`)).json());
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
  });

  it("answers 400 for a reference it never handed out and an empty list for an author without comments", async () => {
    const { authorPage } = await setup();
    for (const ref of ["!!", "a", "%F0%9F%98%80"]) {
      const res = await authorPage(ref);
      expect(res.status, ref).toBe(400);
      expect((await res.json()).error.code).toBe("validation_failed");
    }
    expect(await (await authorPage(Buffer.from("0123456789abcdef").toString("base64url"))).json()).toEqual({ items: [], nextCursor: null });
    expect((await authorPage(Buffer.from("x").toString("base64url"), "?cursor=bogus")).status).toBe(400);
  });
});

describe("bulk decisions", () => {
  it("decides each item on its own and reports 200, 404 or 409 per item, in the order sent", async () => {
    const { post, bulk, decide, audit, app } = await setup();
    const pending = [];
    for (let i = 0; i < 5; i++) pending.push(await post({ body: `needs review ${i}`, captchaToken: "test:0.5" }));
    await decide(pending[4]!, "reject");
    const items = [
      ...pending.map((commentId) => ({ threadId: "t", commentId })),
      { threadId: "t", commentId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" },
      { threadId: "other", commentId: pending[0]! },
      { threadId: "t", commentId: "not-an-id" },
    ];
    const res = await bulk({ items, action: "approve", note: "looks fine" });
    expect(res.status).toBe(200);
    const { results } = bulkDecisionResultSchema.parse(await res.json());
    expect(results.map((r) => [r.commentId, r.status])).toEqual([
      [pending[0], 200],
      [pending[1], 200],
      [pending[2], 200],
      [pending[3], 200],
      [pending[4], 409],
      ["01ARZ3NDEKTSV4RRFFQ69G5FAV", 404],
      [pending[0], 404],
      ["not-an-id", 404],
    ]);
    // One author wrote them all: the context is read once every decision of the request is made.
    expect(results[0]!.comment).toMatchObject({ status: "published", author: { counts: { published: 4, pending: 0, rejected: 1, spam: 0 } } });
    expect(results[4]!.error).toMatchObject({ code: "already_decided", status: "rejected" });
    expect(results[5]!.error).toMatchObject({ code: "comment_not_found" });
    expect((await readThreadPage(app, "t")).thread.commentCount).toBe(4);
    const approvals = (await audit()).filter((e) => e.action === "approve");
    expect(approvals.map((e) => e.commentId).sort()).toEqual(pending.slice(0, 4).sort());
    expect(approvals.every((e) => e.note === "looks fine")).toBe(true);
  });

  it("never decides, counts or audits a comment twice when two moderators bulk-decide overlapping sets", async () => {
    const { post, bulk, audit, app, queue } = await setup();
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await post({ author: eve, body: `overlap ${i}`, captchaToken: "test:0.5" }));
    const asItems = (list: string[]) => list.map((commentId) => ({ threadId: "t", commentId }));
    const [a, b] = await Promise.all([bulk({ items: asItems(ids.slice(0, 9)), action: "approve" }), bulk({ items: asItems(ids.slice(3)), action: "reject" })]);
    const results = [...bulkDecisionResultSchema.parse(await a.json()).results, ...bulkDecisionResultSchema.parse(await b.json()).results];
    const wins = results.filter((r) => r.status === 200);
    expect(wins.map((r) => r.commentId).sort()).toEqual([...ids].sort());
    expect(results.filter((r) => r.status === 409)).toHaveLength(6);
    const decisions = (await audit()).filter((e) => e.action === "approve" || e.action === "reject");
    expect(decisions.map((e) => e.commentId).sort()).toEqual([...ids].sort());
    const published = decisions.filter((e) => e.action === "approve").length;
    expect((await readThreadPage(app, "t")).thread.commentCount).toBe(published);
    expect(await queue()).toEqual([]);
    const latest = await post({ author: eve, body: "last", captchaToken: "test:0.5" });
    expect((await queue()).find((i) => i.id === latest)!.author.counts).toEqual({ published, pending: 1, rejected: 12 - published, spam: 0 });
  });

  it("answers 400 for no items, more than 100, a bad item or a bad action", async () => {
    const { bulk } = await setup();
    const item = { threadId: "t", commentId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" };
    for (const body of [{ items: [], action: "approve" }, { items: Array(101).fill(item), action: "approve" }, { items: [{ threadId: "t" }], action: "approve" }, { items: [item], action: "publish" }, { action: "approve" }]) {
      const res = await bulk(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await res.json()).error.code).toBe("validation_failed");
    }
    expect((await bulk({ items: Array(100).fill(item), action: "spam" })).status).toBe(200);
  });
});

describe("ban with purge", () => {
  it("rejects every published and pending comment of the author on the site, each audited, and nobody else's", async () => {
    const { app, post, audit, queue } = await setup();
    const published = await post({ author: eve, body: "published by Eve" });
    const elsewhere = await post({ author: eve, body: "Eve elsewhere" }, "/v1/sites/demo/threads/u/comments");
    const pending = await post({ author: eve, body: "pending by Eve", captchaToken: "test:0.5" });
    await post({ author: eve, body: "spam by Eve", website: "x" });
    const bob = await post({ author: { name: "Bob" }, body: "Bob stays" });
    const bobPending = await post({ author: { name: "Bob" }, body: "Bob waits", captchaToken: "test:0.5" });

    const res = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: pending, reason: "troll", purge: true }, asModerator());
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ ban: { reason: "troll", expiresAt: null }, purged: 3 });

    expect((await readThreadPage(app, "t")).comments.map((c) => c.id)).toEqual([bob]);
    expect((await readThreadPage(app, "u")).comments).toEqual([]);
    expect((await readThreadPage(app, "u")).thread.commentCount).toBe(0);
    expect((await queue()).map((i) => i.id)).toEqual([bobPending]);
    const purges = (await audit()).filter((e) => e.action === "reject");
    expect(purges.map((e) => e.commentId).sort()).toEqual([published, elsewhere, pending].sort());
    expect(purges.every((e) => e.toStatus === "rejected" && e.note === `purged with ban ${body.ban.id}`)).toBe(true);

    // A second purge finds nothing left to reject.
    const again = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: published, reason: "again", purge: true }, asModerator());
    expect((await again.json()).purged).toBe(0);
  });

  it("leaves the comments alone without purge, and refuses a purge that is not a boolean", async () => {
    const { app, post } = await setup();
    const id = await post({ author: eve, body: "stays" });
    const res = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: id, reason: "warning" }, asModerator());
    expect(await res.json()).not.toHaveProperty("purged");
    expect((await readThreadPage(app, "t")).comments.map((c) => c.id)).toEqual([id]);
    const bad = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: id, reason: "x", purge: "yes" }, asModerator());
    expect(bad.status).toBe(400);
  });
});
