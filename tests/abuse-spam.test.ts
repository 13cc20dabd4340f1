import { describe, expect, it } from "vitest";
import { postAnswerSchema } from "@comments/core";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const roomy = site({ rateLimit: { perMinute: 1000, perHour: 1000 } });
const thread = (id: string) => `/v1/sites/demo/threads/${id}/comments`;

describe("honeypot", () => {
  it("answers a burst of bots exactly like queued comments, stores them as spam and keeps them out of the queue and the thread", async () => {
    const { store, tableName, clients } = await freshStore();
    const { app } = await testApp({ store, sites: [roomy] });
    const fills = ["http://bot.example", "x", " a ", "\u200B", "0"];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postJson(app, thread("pot"), commentBody({ body: `bot ${i}`, website: fills[i % fills.length] }), { "x-test-ip": `10.30.0.${i}` }),
      ),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(202);
      const answer = postAnswerSchema.parse(bodies[i]);
      expect(answer).toEqual({
        comment: expect.objectContaining({ status: "pending" }),
        message: "Your comment is awaiting moderation.",
        editToken: expect.any(String),
        editableUntil: expect.any(String),
      });
    }
    // A genuinely queued comment looks the same from outside.
    const queued = await postJson(app, thread("pot"), commentBody({ body: "human, low score", captchaToken: "test:0.5" }), { "x-test-ip": "10.30.1.1" });
    expect(Object.keys((await queued.json()) as object).sort()).toEqual(Object.keys(bodies[0] as object).sort());

    const queue = await (await app.request("/v1/mod/sites/demo/queue?limit=100", { headers: asModerator() })).json();
    expect(queue.items).toHaveLength(1);
    const page = await (await app.request(thread("pot"))).json();
    expect(page.comments).toEqual([]);
    expect(page.thread.commentCount).toBe(0);
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    const spam = stored.comments.filter((c) => c.status === "spam");
    expect(spam).toHaveLength(20);
    expect(spam.every((c) => c.reasons.includes("honeypot"))).toBe(true);
  });

  it("does not treat an empty, whitespace-only or null website field as filled", async () => {
    const { app } = await testApp({ sites: [roomy] });
    for (const [i, website] of ["", "   ", "\t\n", null].entries()) {
      expect((await postJson(app, thread("pot"), commentBody({ body: `human ${i}`, website }))).status).toBe(201);
    }
  });
});

describe("duplicate comments under concurrency", () => {
  it("accepts one of ten identical posts racing from the same reader and answers the rest 409 duplicate_comment", async () => {
    const { store, tableName, clients } = await freshStore();
    const { app } = await testApp({ store, sites: [roomy] });
    const variants = ["Same words here", "Same words here", "  Same   words here ", "Same words\nhere", "Same\twords here"];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => postJson(app, thread("dup"), commentBody({ body: variants[i % variants.length] }))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const res of answers.filter((r) => r.status === 409)) {
      expect((await res.json()).error.code).toBe("duplicate_comment");
    }
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(1);
    expect((await (await app.request(thread("dup"))).json()).thread.commentCount).toBe(1);
  });

  it("knows the same reader by email across addresses, and lets other readers and other threads say the same", async () => {
    const { app } = await testApp({ sites: [roomy] });
    const ann = { name: "Ann", email: "ann@news.example" };
    const sameEmail = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postJson(app, thread("dup"), commentBody({ author: { ...ann, email: i % 2 ? "ANN@news.example" : ann.email }, body: "Agreed." }), { "x-test-ip": `10.31.0.${i}` })),
    );
    expect(sameEmail.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
    const others = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => postJson(app, thread("dup"), commentBody({ author: { name: `Reader ${i}` }, body: "Agreed." }), { "x-test-ip": `10.32.0.${i}` })),
      ...Array.from({ length: 4 }, (_, i) => postJson(app, thread(`elsewhere-${i}`), commentBody({ author: ann, body: "Agreed." }))),
    ]);
    expect(others.map((r) => r.status)).toEqual(Array(8).fill(201));
  });

  it("accepts the same words again once the duplicate window has passed", async () => {
    let now = new Date("2026-06-01T12:00:00Z");
    const { app } = await testApp({ sites: [roomy], now: () => now });
    expect((await postJson(app, thread("dup"), commentBody({ body: "Again?" }))).status).toBe(201);
    now = new Date("2026-06-01T12:09:00Z");
    expect((await postJson(app, thread("dup"), commentBody({ body: "Again?" }))).status).toBe(409);
    now = new Date("2026-06-01T12:10:01Z");
    expect((await postJson(app, thread("dup"), commentBody({ body: "Again?" }))).status).toBe(201);
  });
});
