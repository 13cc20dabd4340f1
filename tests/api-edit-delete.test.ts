import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { editAnswerSchema, modCommentSchema, postAnswerSchema, threadPageSchema, type SiteConfigInput } from "@comments/core";
import { asModerator, commentBody, freshStore, postJson, testApp } from "./support/harness.ts";
import { bearer, readerToken, signInSite, ssoSecrets } from "./support/sso.ts";

const threadPath = "/v1/sites/demo/threads/edits/comments";
const commentPath = (id: string) => `${threadPath}/${id}`;

/** An app with sign-in, on a clock the test moves; returns helpers for the author's requests. */
async function editApp(overrides: Partial<SiteConfigInput> = {}) {
  const clock = { now: new Date() };
  const { store, tableName, clients } = await freshStore();
  const logged: string[] = [];
  const { app } = await testApp({
    sites: [signInSite(overrides)],
    secrets: ssoSecrets,
    store,
    now: () => clock.now,
    logger: { error: (message, details) => logged.push(JSON.stringify({ message, ...details })) },
  });
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method, headers: { "content-type": "application/json", ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const post = async (overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await postJson(app, threadPath, commentBody(overrides), headers);
    return { status: res.status, ...(postAnswerSchema.parse(await res.json()) as { comment: { id: string; createdAt: string }; editToken: string; editableUntil: string }) };
  };
  const edit = (id: string, body: unknown, headers: Record<string, string>) => request("PATCH", commentPath(id), body, headers);
  const remove = (id: string, headers: Record<string, string>) => request("DELETE", commentPath(id), undefined, headers);
  const page = async () => threadPageSchema.parse(await (await app.request(threadPath)).json());
  const queue = async () => ((await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items as unknown[]).map((item) => modCommentSchema.parse(item));
  const scanTable = async () => JSON.stringify((await clients.documentClient.send(new ScanCommand({ TableName: tableName }))).Items);
  const advanceMinutes = (minutes: number) => (clock.now = new Date(clock.now.getTime() + minutes * 60_000));
  return { app, store, clock, logged, post, edit, remove, page, queue, scanTable, advanceMinutes, request };
}

/** A sign-in token that stays valid while the test moves its clock forward. */
const longToken = (claims: Record<string, unknown> = {}) => readerToken({ exp: Math.floor(Date.now() / 1000) + 86_400, ...claims });
const editToken = (token: string) => ({ "x-edit-token": token });

describe("the edit token", () => {
  it("comes with the post's answer and its replay, and nowhere else: not in reads, the queue, the table or the logs", async () => {
    const t = await editApp();
    const first = await postJson(t.app, threadPath, commentBody({ captchaToken: "test:0.5" }), { "idempotency-key": "k-1" });
    const answer = await first.json();
    expect(answer.editToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(Date.parse(answer.editableUntil) - Date.parse(answer.comment.createdAt)).toBe(15 * 60_000);
    const replay = await (await postJson(t.app, threadPath, commentBody({ captchaToken: "test:0.5" }), { "idempotency-key": "k-1" })).json();
    expect(replay).toEqual(answer);

    await t.edit(answer.comment.id, { body: "" }, editToken(answer.editToken)); // a refused edit, for the logs
    const everywhere = [JSON.stringify(await t.page()), JSON.stringify(await t.queue()), await t.scanTable(), t.logged.join("\n")].join("\n");
    expect(everywhere).toContain(answer.comment.id);
    expect(everywhere).not.toContain(answer.editToken);
  });

  it("is left out when the site turns editing off", async () => {
    const t = await editApp({ moderation: { editWindowMinutes: 0 } });
    const answer = await (await postJson(t.app, threadPath, commentBody())).json();
    expect(answer).not.toHaveProperty("editToken");
    expect(answer).not.toHaveProperty("editableUntil");
  });
});

describe("PATCH: editing one's own comment", () => {
  it("re-renders the body, marks the comment edited, and keeps the earlier body for moderators", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "Frist!" });
    const res = await t.edit(posted.comment.id, { body: "First, *properly*." }, editToken(posted.editToken));
    expect(res.status).toBe(200);
    const answer = editAnswerSchema.parse(await res.json());
    expect(answer.comment).toMatchObject({ id: posted.comment.id, bodyHtml: "<p>First, <em>properly</em>.</p>", status: "published", editedAt: t.clock.now.toISOString() });
    const shown = (await t.page()).comments[0]!;
    expect(shown).toMatchObject({ bodyHtml: "<p>First, <em>properly</em>.</p>", editedAt: t.clock.now.toISOString() });
    expect((await t.page()).thread.commentCount).toBe(1);
  });

  it("changes the thread's ETag, so a reader holding the old page gets the edit instead of a 304", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "Before." });
    const etag = (await t.app.request(threadPath)).headers.get("etag")!;
    await t.edit(posted.comment.id, { body: "After." }, editToken(posted.editToken));
    const again = await t.app.request(threadPath, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(200);
    expect((await again.json()).comments[0].bodyHtml).toBe("<p>After.</p>");
  });

  it("lets a signed-in author edit with their sign-in token", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "Signed." }, bearer(await longToken()));
    const res = await t.edit(posted.comment.id, { body: "Signed, edited." }, bearer(await longToken({ name: "Renamed" })));
    expect(res.status).toBe(200);
    expect((await res.json()).comment).toMatchObject({ bodyHtml: "<p>Signed, edited.</p>", author: { name: "Ada Lovelace", verified: true } });
  });

  it("checks the new body like a new comment's", async () => {
    const t = await editApp({ limits: { maxBodyLength: 10 } });
    const posted = await t.post({ body: "Short." });
    for (const [body, message] of [["  ", "Please enter your comment!"], ["x".repeat(11), "Your comment is too long (at most 10 characters)."]] as const) {
      const res = await t.edit(posted.comment.id, { body }, editToken(posted.editToken));
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "validation_failed", fields: { body: message } });
    }
  });

  it("takes a published comment out of the thread into the queue when the edit trips a phase", async () => {
    const t = await editApp({ moderation: { suspectWords: ["scam"] } });
    const posted = await t.post({ body: "Nice article." });
    const res = await t.edit(posted.comment.id, { body: "This is a scam." }, editToken(posted.editToken));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ comment: { status: "pending" }, message: "Your comment is awaiting moderation." });
    const page = await t.page();
    expect(page.comments).toEqual([]);
    expect(page.thread.commentCount).toBe(0);
    const [queued] = await t.queue();
    expect(queued).toMatchObject({ id: posted.comment.id, status: "pending", reasons: ["suspect_words"] });
    expect(queued!.history).toEqual([{ body: "Nice article.", at: posted.comment.createdAt }]);
  });

  it("answers an edit into spam like a queued one, and hides it from thread and queue", async () => {
    const t = await editApp({ moderation: { bannedWords: ["viagra"] } });
    const posted = await t.post({ body: "Nice article." });
    const res = await t.edit(posted.comment.id, { body: "buy viagra" }, editToken(posted.editToken));
    expect(await res.json()).toMatchObject({ comment: { status: "pending" }, message: "Your comment is awaiting moderation." });
    expect((await t.page()).comments).toEqual([]);
    expect(await t.queue()).toEqual([]);
    // A spam comment is no longer the author's to change.
    expect((await t.edit(posted.comment.id, { body: "sorry" }, editToken(posted.editToken))).status).toBe(404);
  });

  it("keeps a queued comment queued, with every earlier body", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "one", captchaToken: "test:0.5" });
    expect(posted.status).toBe(202);
    t.advanceMinutes(1);
    await t.edit(posted.comment.id, { body: "two" }, editToken(posted.editToken));
    const editedAt = t.clock.now.toISOString();
    t.advanceMinutes(1);
    const res = await t.edit(posted.comment.id, { body: "three" }, editToken(posted.editToken));
    expect((await res.json()).comment.status).toBe("pending");
    const [queued] = await t.queue();
    expect(queued).toMatchObject({ bodyHtml: "<p>three</p>", reasons: ["captcha_low_score"] });
    expect(queued!.history).toEqual([{ body: "one", at: posted.comment.createdAt }, { body: "two", at: editedAt }]);
  });

  it("answers a repeated edit (a retry after a lost answer) the same way, without counting it twice", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "Frist!" });
    const first = await t.edit(posted.comment.id, { body: "First!" }, editToken(posted.editToken));
    t.advanceMinutes(1);
    const again = await t.edit(posted.comment.id, { body: "First!" }, editToken(posted.editToken));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const stored = (await t.store.getComment("demo", "edits", posted.comment.id))!;
    expect(stored.edits).toBe(1);
    expect(stored.history!.map((h) => h.body)).toEqual(["Frist!"]);
  });

  it("allows ten edits, then answers 409 edit_limit", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "v0" });
    for (let i = 1; i <= 10; i++) expect((await t.edit(posted.comment.id, { body: `v${i}` }, editToken(posted.editToken))).status).toBe(200);
    const res = await t.edit(posted.comment.id, { body: "v11" }, editToken(posted.editToken));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toEqual({ code: "edit_limit", message: "This comment has been edited too many times." });
  });

  it("refuses a missing or wrong token and another reader's sign-in with 403 not_author", async () => {
    const t = await editApp();
    const guest = await t.post({ body: "Guest's." });
    const signed = await t.post({ body: "Ada's." }, bearer(await longToken()));
    const attempts = [
      t.edit(guest.comment.id, { body: "x" }, {}),
      t.edit(guest.comment.id, { body: "x" }, editToken(signed.editToken)),
      t.edit(signed.comment.id, { body: "x" }, bearer(await longToken({ sub: "someone-else" }))),
      t.remove(guest.comment.id, editToken("not-the-token")),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect((await res.json()).error).toEqual({ code: "not_author", message: "You can only change your own comments." });
    }
  });

  it("closes with the window: 403 edit_window_closed", async () => {
    const t = await editApp({ moderation: { editWindowMinutes: 5 } });
    const posted = await t.post();
    t.advanceMinutes(5);
    for (const res of [await t.edit(posted.comment.id, { body: "late" }, editToken(posted.editToken)), await t.remove(posted.comment.id, editToken(posted.editToken))]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("edit_window_closed");
    }
  });

  it("answers 404 comment_not_found for an unknown or rejected comment", async () => {
    const t = await editApp();
    const posted = await t.post({ captchaToken: "test:0.5" });
    await postJson(t.app, `/v1/mod/sites/demo/threads/edits/comments/${posted.comment.id}/decision`, { action: "reject" }, asModerator());
    for (const id of [posted.comment.id, "01HZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id"]) {
      const res = await t.edit(id, { body: "x" }, editToken(posted.editToken));
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("comment_not_found");
    }
  });
});

describe("DELETE: taking one's comment back", () => {
  it("removes a comment without replies and lowers the count; a repeat is 204 again", async () => {
    const t = await editApp();
    const posted = await t.post();
    await t.post({ body: "Another." });
    expect((await t.remove(posted.comment.id, editToken(posted.editToken))).status).toBe(204);
    const page = await t.page();
    expect(page.comments.map((c) => c.id)).not.toContain(posted.comment.id);
    expect(page.thread.commentCount).toBe(1);
    expect((await t.remove(posted.comment.id, editToken(posted.editToken))).status).toBe(204);
    expect((await t.page()).thread.commentCount).toBe(1);
  });

  it("leaves a placeholder where published replies hang on it", async () => {
    const t = await editApp();
    const parent = await t.post({ body: "Parent.", author: { name: "Ann", email: "ann@example.com" } });
    await t.post({ body: "A reply.", parentId: parent.comment.id, author: { name: "Bob" } });
    expect((await t.remove(parent.comment.id, editToken(parent.editToken))).status).toBe(204);
    const page = await t.page();
    expect(page.thread.commentCount).toBe(1);
    expect(page.comments.find((c) => c.id === parent.comment.id)).toMatchObject({
      author: { name: "[deleted]", url: null, verified: false, badge: null, avatar: null },
      bodyHtml: "<p><em>[deleted]</em></p>",
      deleted: true,
    });
    expect(await t.scanTable()).not.toContain("ann@example.com");
    expect((await t.remove(parent.comment.id, editToken(parent.editToken))).status).toBe(204);
    expect((await t.edit(parent.comment.id, { body: "back" }, editToken(parent.editToken))).status).toBe(404);
  });

  it("deletes a queued comment out of the queue", async () => {
    const t = await editApp();
    const posted = await t.post({ captchaToken: "test:0.5" });
    expect((await t.remove(posted.comment.id, editToken(posted.editToken))).status).toBe(204);
    expect(await t.queue()).toEqual([]);
  });

  it("lets a signed-in author delete after the window, but not a guest", async () => {
    const t = await editApp();
    const signed = await t.post({ body: "Ada's." }, bearer(await longToken()));
    const guest = await t.post({ body: "Guest's." });
    t.advanceMinutes(60);
    expect((await t.remove(guest.comment.id, editToken(guest.editToken))).status).toBe(403);
    expect((await t.remove(signed.comment.id, bearer(await longToken()))).status).toBe(204);
  });

  it("with editing off: no edits, guests cannot delete, signed-in authors can", async () => {
    const t = await editApp({ moderation: { editWindowMinutes: 0 } });
    const signed = await t.post({ body: "Ada's." }, bearer(await longToken()));
    const guest = await t.post({ body: "Guest's." });
    expect((await (await t.edit(signed.comment.id, { body: "x" }, bearer(await longToken()))).json()).error.code).toBe("edit_window_closed");
    expect((await (await t.remove(guest.comment.id, {})).json()).error.code).toBe("edit_window_closed");
    expect((await t.remove(signed.comment.id, bearer(await longToken()))).status).toBe(204);
  });
});

describe("races", () => {
  it("lets exactly one of two edits made from the same read win; the other gets 409 edit_conflict", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "v0" });
    const current = (await t.store.getComment("demo", "edits", posted.comment.id))!;
    const edited = (body: string) => ({ ...current, body, bodyHtml: `<p>${body}</p>`, edits: 1, history: [{ body: "v0", at: current.createdAt }] });
    const outcomes = await Promise.allSettled([t.store.editComment(current, edited("A")), t.store.editComment(current, edited("B"))]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "edit_conflict" });
    const stored = (await t.store.getComment("demo", "edits", posted.comment.id))!;
    expect(["A", "B"]).toContain(stored.body);
  });

  it("never loses an edit among many at once: every 200 is in the history, every other answer is 409 edit_conflict", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "v0" });
    const answers = await Promise.all(["a", "b", "c", "d", "e"].map((body) => t.edit(posted.comment.id, { body }, editToken(posted.editToken))));
    const won: string[] = [];
    for (const [i, res] of answers.entries()) {
      if (res.status === 200) won.push("abcde"[i]!);
      else expect((await res.json()).error.code).toBe("edit_conflict");
    }
    expect(won.length).toBeGreaterThanOrEqual(1);
    const stored = (await t.store.getComment("demo", "edits", posted.comment.id))!;
    expect(stored.edits).toBe(won.length);
    expect([...stored.history!.map((h) => h.body).slice(1), stored.body].sort()).toEqual(won.sort());
  });

  it("refuses an edit read before a moderator's decision with 409 edit_conflict, and keeps the decision", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "v0", captchaToken: "test:0.5" });
    const current = (await t.store.getComment("demo", "edits", posted.comment.id))!;
    const decided = await postJson(t.app, `/v1/mod/sites/demo/threads/edits/comments/${posted.comment.id}/decision`, { action: "approve" }, asModerator());
    expect(decided.status).toBe(200);
    await expect(t.store.editComment(current, { ...current, body: "late", edits: 1 })).rejects.toMatchObject({ code: "edit_conflict" });
    expect((await t.page()).comments[0]).toMatchObject({ bodyHtml: "<p>v0</p>" });
  });

  it("never lets a decision overwrite an edit it did not see", async () => {
    const t = await editApp();
    const posted = await t.post({ body: "v0", captchaToken: "test:0.5" });
    const [edit, decision] = await Promise.all([
      t.edit(posted.comment.id, { body: "v1" }, editToken(posted.editToken)),
      postJson(t.app, `/v1/mod/sites/demo/threads/edits/comments/${posted.comment.id}/decision`, { action: "approve" }, asModerator()),
    ]);
    const stored = (await t.store.getComment("demo", "edits", posted.comment.id))!;
    if (edit.status === 200) expect(stored.body).toBe("v1");
    else expect((await edit.json()).error.code).toBe("edit_conflict");
    if (decision.status === 200) expect(stored.status).toBe("published");
    else expect((await decision.json()).error.code).toBe("edit_conflict");
  });
});

describe("CORS for edits", () => {
  it("lets the widget's origin send PATCH and DELETE with X-Edit-Token and Authorization", async () => {
    const t = await editApp();
    const res = await t.app.request(commentPath("01HZZZZZZZZZZZZZZZZZZZZZZZ"), {
      method: "OPTIONS",
      headers: { origin: "https://news.example", "access-control-request-method": "PATCH", "access-control-request-headers": "x-edit-token, authorization" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")).toBe("Content-Type, Idempotency-Key, If-None-Match, Authorization, X-Edit-Token");
  });
});
