import { describe, expect, it } from "vitest";
import { postAnswerSchema } from "@comments/core";
import { asModerator, commentBody, postJson, site, testApp } from "./support/harness.ts";

const thread = "/v1/sites/demo/threads/2024%2F04%2F19%2Fnato-isis/comments";

describe("POST a comment", () => {
  it("publishes a clear comment with 201 and shows it in the thread", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, commentBody({ body: "Hello *world*", author: { name: "Ann", url: "https://ann.example" } }));
    expect(res.status).toBe(201);
    const json = postAnswerSchema.parse(await res.json());
    expect(json.comment).toMatchObject({
      threadId: "2024/04/19/nato-isis",
      parentId: null,
      author: { name: "Ann", url: "https://ann.example" },
      bodyHtml: "<p>Hello <em>world</em></p>",
      status: "published",
    });
    const page = await (await app.request(thread)).json();
    expect(page.thread).toEqual({ siteId: "demo", threadId: "2024/04/19/nato-isis", commentCount: 1, closed: false, url: null, title: null });
    expect(page.comments.map((c: { id: string }) => c.id)).toEqual([json.comment.id]);
  });

  it("never returns the email or any hash publicly", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, commentBody({ author: { name: "Ann", email: "ann@example.com" } }));
    const text = JSON.stringify(await res.json()) + (await (await app.request(thread)).text());
    expect(text).not.toContain("ann@example.com");
    expect(text).not.toMatch(/hash/i);
  });

  it("queues a mid-score comment with 202 and the awaiting-moderation message", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, commentBody({ captchaToken: "test:0.5" }));
    expect(res.status).toBe(202);
    const json = await res.json();
    expect(json).toMatchObject({ comment: { status: "pending" }, message: "Your comment is awaiting moderation." });
    expect((await (await app.request(thread)).json()).comments).toEqual([]);
    const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queue.items[0]).toMatchObject({ id: json.comment.id, reasons: ["captcha_low_score"], captchaScore: 0.5, status: "pending" });
  });

  it("refuses a score below minScore with 403 captcha_score_too_low", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, commentBody({ captchaToken: "test:0.1" }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "captcha_score_too_low", message: "CAPTCHA user score failed. Please contact us!" } });
  });

  it("refuses a token the provider rejects with 403 captcha_failed", async () => {
    const { app } = await testApp();
    for (const token of ["test:fail", "test:1.5", "nonsense"]) {
      const res = await postJson(app, thread, commentBody({ captchaToken: token }));
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: "captcha_failed", message: "Captcha verification failed!" } });
    }
  });

  it("answers spam exactly like a queued comment and keeps it out of the queue", async () => {
    const { app } = await testApp({ sites: [site({ moderation: { bannedWords: ["viagra"] } })] });
    const honeypot = await postJson(app, thread, commentBody({ website: "http://bot.example", body: "one" }));
    const banned = await postJson(app, thread, commentBody({ body: "buy viagra" }));
    for (const res of [honeypot, banned]) {
      expect(res.status).toBe(202);
      const json = await res.json();
      expect(json.comment.status).toBe("pending");
      expect(json.message).toBe("Your comment is awaiting moderation.");
    }
    const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queue.items).toEqual([]);
  });

  describe("validation", () => {
    it.each([
      [{ body: "" }, { body: "Please enter your comment!" }],
      [{ body: "   \n\t " }, { body: "Please enter your comment!" }],
      [{ body: undefined }, { body: "Please enter your comment!" }],
      [{ author: { name: "" } }, { "author.name": "Please enter your name here" }],
      [{ author: { name: "  " } }, { "author.name": "Please enter your name here" }],
      [{ author: {} }, { "author.name": "Please enter your name here" }],
      [{ author: undefined }, { "author.name": "Please enter your name here" }],
    ])("rejects %j with the original messages", async (overrides, fields) => {
      const { app } = await testApp();
      const res = await postJson(app, thread, commentBody(overrides));
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe("validation_failed");
      expect(json.error.fields).toMatchObject(fields);
    });

    it("reports empty body and empty name together", async () => {
      const { app } = await testApp();
      const res = await postJson(app, thread, commentBody({ body: " ", author: { name: "" } }));
      expect((await res.json()).error.fields).toEqual({ body: "Please enter your comment!", "author.name": "Please enter your name here" });
    });

    it("rejects a bad email, a non-http url, a long name and a missing captcha token", async () => {
      const { app } = await testApp();
      const res = await postJson(app, thread, {
        author: { name: "x".repeat(101), email: "not-an-email", url: "javascript:alert(1)" },
        body: "hi",
      });
      expect(res.status).toBe(400);
      expect(Object.keys((await res.json()).error.fields).sort()).toEqual(["author.email", "author.name", "author.url", "captchaToken"]);
    });

    it("treats empty or null email and url as absent", async () => {
      const { app } = await testApp();
      const res = await postJson(app, thread, commentBody({ author: { name: "Ann", email: "", url: null } }));
      expect(res.status).toBe(201);
      expect((await res.json()).comment.author.url).toBeNull();
    });

    it("counts maxBodyLength in code points", async () => {
      const { app } = await testApp({ sites: [site({ limits: { maxBodyLength: 5 } })] });
      expect((await postJson(app, thread, commentBody({ body: "😀😀😀😀😀" }))).status).toBe(201);
      const res = await postJson(app, thread, commentBody({ body: "😀😀😀😀😀😀" }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.fields.body).toMatch(/too long/);
    });

    it("rejects a body over the default 5000 characters", async () => {
      const { app } = await testApp();
      expect((await postJson(app, thread, commentBody({ body: "a".repeat(5000) }))).status).toBe(201);
      expect((await postJson(app, thread, commentBody({ body: "b".repeat(5001) }))).status).toBe(400);
    });

    it("answers 400 invalid_json for a body that is not JSON", async () => {
      const { app } = await testApp();
      const res = await postJson(app, thread, "{not json");
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_json");
    });

    it("answers 400 validation_failed with fields for JSON of the wrong shape", async () => {
      const { app } = await testApp();
      for (const body of [[], "a string", 42, null, { author: "Ann", body: 5, captchaToken: ["x"] }]) {
        const res = await postJson(app, thread, JSON.stringify(body));
        expect(res.status).toBe(400);
        const json = await res.json();
        expect(json.error.code).toBe("validation_failed");
        expect(Object.keys(json.error.fields).length).toBeGreaterThan(0);
      }
    });

    it("answers 413 payload_too_large over 32768 bytes, before parsing", async () => {
      const { app } = await testApp();
      const res = await postJson(app, thread, "x".repeat(32_769));
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("payload_too_large");
    });

    it("rejects an invalid thread id", async () => {
      const { app } = await testApp();
      const long = encodeURIComponent("t".repeat(201));
      expect((await postJson(app, `/v1/sites/demo/threads/${long}/comments`, commentBody())).status).toBe(400);
      expect((await postJson(app, `/v1/sites/demo/threads/a%00b/comments`, commentBody())).status).toBe(400);
      expect((await postJson(app, `/v1/sites/demo/threads/${encodeURIComponent("t".repeat(200))}/comments`, commentBody())).status).toBe(201);
    });
  });

  it("answers 404 site_not_found for an unknown site", async () => {
    const { app } = await testApp();
    const res = await postJson(app, "/v1/sites/nope/threads/a/comments", commentBody());
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("site_not_found");
  });

  describe("replies", () => {
    it("accepts a reply to a published comment of the same thread", async () => {
      const { app } = await testApp();
      const parent = (await (await postJson(app, thread, commentBody())).json()).comment;
      const res = await postJson(app, thread, commentBody({ parentId: parent.id, body: "reply" }));
      expect(res.status).toBe(201);
      expect((await res.json()).comment.parentId).toBe(parent.id);
    });

    it("answers 404 parent_not_found for a pending, unknown or other-thread parent", async () => {
      const { app } = await testApp();
      const pending = (await (await postJson(app, thread, commentBody({ captchaToken: "test:0.5" }))).json()).comment;
      const other = (await (await postJson(app, "/v1/sites/demo/threads/other/comments", commentBody({ body: "x" }))).json()).comment;
      for (const parentId of [pending.id, other.id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "not-an-id"]) {
        const res = await postJson(app, thread, commentBody({ parentId, body: `reply to ${parentId}` }));
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe("parent_not_found");
      }
    });
  });

  describe("rate limits", () => {
    // The windows are fixed minutes and hours: a clock standing mid-window keeps a slow run from crossing one.
    const midWindow = () => new Date("2026-05-04T10:30:30.000Z");
    it("answers 429 with Retry-After after perMinute comments from one IP, counting queued and spam too", async () => {
      const { app } = await testApp({ now: midWindow, sites: [site({ rateLimit: { perMinute: 3, perHour: 30 } })] });
      expect((await postJson(app, thread, commentBody({ body: "1" }))).status).toBe(201);
      expect((await postJson(app, thread, commentBody({ body: "2", captchaToken: "test:0.5" }))).status).toBe(202);
      expect((await postJson(app, thread, commentBody({ body: "3", website: "x" }))).status).toBe(202);
      const res = await postJson(app, thread, commentBody({ body: "4" }));
      expect(res.status).toBe(429);
      expect((await res.json()).error.code).toBe("rate_limited");
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      // Another IP is not affected.
      expect((await postJson(app, thread, commentBody({ body: "5" }), { "x-test-ip": "198.51.100.1" })).status).toBe(201);
    });

    it("does not count refused comments", async () => {
      const { app } = await testApp({ sites: [site({ rateLimit: { perMinute: 1, perHour: 30 } })] });
      expect((await postJson(app, thread, commentBody({ captchaToken: "test:fail" }))).status).toBe(403);
      expect((await postJson(app, thread, commentBody({ body: "" }))).status).toBe(400);
      expect((await postJson(app, thread, commentBody())).status).toBe(201);
    });

    it("admits no more than the limit when requests race", async () => {
      const { app } = await testApp({ now: midWindow, sites: [site({ rateLimit: { perMinute: 5, perHour: 30 } })] });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postJson(app, thread, commentBody({ body: `race ${i}` })).then((r) => r.status)),
      );
      expect(results.filter((s) => s === 201)).toHaveLength(5);
      expect(results.filter((s) => s === 429)).toHaveLength(15);
      expect((await (await app.request(thread)).json()).thread.commentCount).toBe(5);
    });
  });

  it("refuses the same author posting the same text in the same thread again with 409 duplicate_comment", async () => {
    const { app } = await testApp();
    expect((await postJson(app, thread, commentBody({ body: "Same words" }))).status).toBe(201);
    const res = await postJson(app, thread, commentBody({ body: "  Same   words " }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("duplicate_comment");
    expect((await postJson(app, "/v1/sites/demo/threads/elsewhere/comments", commentBody({ body: "Same words" }))).status).toBe(201);
  });

  it("closes a thread closeAfterDays after its first comment", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const { app } = await testApp({ sites: [site({ closeAfterDays: 7 })], now: () => now });
    expect((await postJson(app, thread, commentBody({ body: "first" }))).status).toBe(201);
    now = new Date("2026-01-07T23:00:00Z");
    expect((await postJson(app, thread, commentBody({ body: "still open" }))).status).toBe(201);
    now = new Date("2026-01-08T01:00:00Z");
    const res = await postJson(app, thread, commentBody({ body: "too late" }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("thread_closed");
    expect((await (await app.request(thread)).json()).thread.closed).toBe(true);
  });

  it("pre-moderates an author's first comment until one is published", async () => {
    const { app } = await testApp({ sites: [site({ moderation: { premoderateFirstComment: true } })] });
    const author = { name: "New Reader", email: "new@example.com" };
    const first = await postJson(app, thread, commentBody({ author, body: "first" }));
    expect(first.status).toBe(202);
    expect((await postJson(app, thread, commentBody({ author, body: "second" }))).status).toBe(202);
    const id = (await first.json()).comment.id;
    const decided = await postJson(app, `/v1/mod/sites/demo/threads/2024%2F04%2F19%2Fnato-isis/comments/${id}/decision`, { action: "approve" }, asModerator());
    expect(decided.status).toBe(200);
    expect((await postJson(app, thread, commentBody({ author: { ...author, email: "NEW@example.com" }, body: "third" }))).status).toBe(201);
  });

  it("queues a comment with too many links or suspect words, with the reasons for moderators", async () => {
    const { app } = await testApp({ sites: [site({ moderation: { suspectWords: ["casino"], maxLinks: 1 } })] });
    const res = await postJson(app, thread, commentBody({ body: "casino https://a.example https://b.example" }));
    expect(res.status).toBe(202);
    const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queue.items[0].reasons).toEqual(["suspect_words", "too_many_links"]);
    expect(queue.items[0].details).toEqual(["suspect word: casino", "2 links (more than 1)"]);
  });
});

describe("hostile text", () => {
  it("refuses escaped lone surrogates, which are not storable text", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, '{"author":{"name":"A"},"body":"x\\ud800y","captchaToken":"test:0.9"}');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("validation_failed");
  });

  it("keeps right-to-left overrides and zero-width characters as typed, as text", async () => {
    const { app } = await testApp();
    const res = await postJson(app, thread, commentBody({ author: { name: "\u202Eevil\u200B" }, body: "a\u202Eb\u200Dc" }));
    expect(res.status).toBe(201);
    const { comment } = await res.json();
    expect(comment.author.name).toBe("\u202Eevil\u200B");
    expect(comment.bodyHtml).toBe("<p>a\u202Eb\u200Dc</p>");
  });
});

describe("notifications never cost a comment", () => {
  it("answers 202 and keeps the comment when the queue listener throws, and logs the failure", async () => {
    const logged: string[] = [];
    const { app } = await testApp({
      queueListener: {
        commentQueued: () => {
          throw new Error("webhook exploded");
        },
      },
      logger: { error: (message, details) => logged.push(`${message} ${JSON.stringify(details)}`) },
    });
    const res = await postJson(app, thread, commentBody({ captchaToken: "test:0.5" }));
    expect(res.status).toBe(202);
    const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
    expect(queue.items).toHaveLength(1);
    expect(logged.join("\n")).toContain("webhook exploded");
  });
});
