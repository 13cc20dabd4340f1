import { afterEach, describe, expect, it } from "vitest";
import { queuePageSchema, type SiteConfigInput } from "@comments/core";
import { asModerator, commentBody, postJson, site, testApp } from "./support/harness.ts";
import { startReceiver, type HttpReceiver, type ReceiverAnswer } from "./support/http-receiver.ts";

const threadPath = "/v1/sites/demo/threads/t/comments";
const nudgeMessage = "Are you sure? The language in this comment might break our community guidelines. You can edit it, or submit it for moderator review.";
const suspectWords = "It uses words this site asks moderators to look at first.";

let receiver: HttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function nudgingApp(moderation: NonNullable<SiteConfigInput["moderation"]> = {}, overrides: Partial<SiteConfigInput> = {}) {
  const { app } = await testApp({
    sites: [site({ rateLimit: { perMinute: 100, perHour: 100 }, ...overrides, moderation: { nudge: true, suspectWords: ["scandal"], bannedWords: ["casino"], ...moderation } })],
  });
  const queue = async () => queuePageSchema.parse(await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items;
  return { app, queue };
}

async function expectNudge(res: Response, reasons: string[]) {
  expect(res.status).toBe(422);
  expect(await res.json()).toEqual({ error: { code: "nudge", message: nudgeMessage, reasons } });
}

describe("nudge before queueing for language", () => {
  it("warns the writer instead of storing, and queues the comment once they confirm", async () => {
    const { app, queue } = await nudgingApp();
    const body = commentBody({ body: "What a scandal this is." });
    await expectNudge(await postJson(app, threadPath, body), [suspectWords]);
    expect(await queue()).toEqual([]);
    expect((await (await app.request(threadPath)).json()).thread.commentCount).toBe(0);

    const confirmed = await postJson(app, threadPath, { ...body, acknowledgeNudge: true });
    expect(confirmed.status).toBe(202);
    const { comment } = await confirmed.json();
    expect((await queue()).map((i) => [i.id, i.reasons])).toEqual([[comment.id, ["suspect_words"]]]);
  });

  it("lets an edited comment without the words through as usual", async () => {
    const { app } = await nudgingApp();
    await expectNudge(await postJson(app, threadPath, commentBody({ body: "A scandal!" })), [suspectWords]);
    expect((await postJson(app, threadPath, commentBody({ body: "A surprise!" }))).status).toBe(201);
  });

  it("releases an Idempotency-Key it refused, so the confirmed resend goes through under the same key", async () => {
    const { app } = await nudgingApp();
    const body = commentBody({ body: "scandal" });
    await expectNudge(await postJson(app, threadPath, body, { "Idempotency-Key": "nudge-1" }), [suspectWords]);
    expect((await postJson(app, threadPath, { ...body, acknowledgeNudge: true }, { "Idempotency-Key": "nudge-1" })).status).toBe(202);
  });

  it("never nudges spam, captcha or first-comment holds, nor a site without nudge", async () => {
    const { app, queue } = await nudgingApp({ premoderateFirstComment: true });
    // Spam rules win and say nothing: a banned word or the honeypot with a suspect word is answered like any queued comment.
    expect((await postJson(app, threadPath, commentBody({ body: "scandal casino" }))).status).toBe(202);
    expect((await postJson(app, threadPath, commentBody({ body: "scandal", website: "x", author: { name: "Bot" } }))).status).toBe(202);
    // A first comment and a low captcha score are queued without a word to the writer.
    expect((await postJson(app, threadPath, commentBody({ author: { name: "New" } }))).status).toBe(202);
    expect((await postJson(app, threadPath, commentBody({ author: { name: "Low" }, captchaToken: "test:0.5" }))).status).toBe(202);
    expect((await queue()).map((i) => i.reasons)).toEqual([["first_comment"], ["captcha_low_score", "first_comment"]]);
    // With a language reason among them, only the language reason is named.
    await expectNudge(await postJson(app, threadPath, commentBody({ author: { name: "Low" }, body: "scandal", captchaToken: "test:0.5" })), [suspectWords]);

    const { app: plain } = await testApp({ sites: [site({ moderation: { suspectWords: ["scandal"] } })] });
    expect((await postJson(plain, threadPath, commentBody({ body: "scandal" }))).status).toBe(202);
  });

  it("nudges when the external hook holds the comment, not when the hook is unavailable", async () => {
    let answer: ReceiverAnswer = { status: 200, body: JSON.stringify({ status: "pending", reason: "insult" }) };
    receiver = await startReceiver(() => answer);
    const { app, queue } = await nudgingApp({ externalHook: { url: `${receiver.url}/check` } });
    await expectNudge(await postJson(app, threadPath, commentBody({ body: "held by the hook" })), ["Our automatic check of the language held it for review."]);
    answer = { status: 503, body: "down" };
    expect((await postJson(app, threadPath, commentBody({ body: "the hook is down" }))).status).toBe(202);
    expect((await queue()).map((i) => i.reasons)).toEqual([["external_hook"]]);
  });

  it("nudges when the toxicity check scores the comment at the threshold", async () => {
    receiver = await startReceiver(() => ({
      status: 200,
      headers: { "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({ ResultList: [{ Toxicity: 0.9, Labels: [{ Name: "INSULT", Score: 0.95 }] }] }),
    }));
    const { app, queue } = await nudgingApp({ toxicity: { provider: "comprehend", endpoint: receiver.url } });
    const body = commentBody({ body: "You are an idiot." });
    await expectNudge(await postJson(app, threadPath, body), ["It may read as insulting, threatening or hateful."]);
    expect((await postJson(app, threadPath, { ...body, acknowledgeNudge: true })).status).toBe(202);
    expect((await queue()).map((i) => i.reasons)).toEqual([["toxicity"]]);
  });

  it("refuses an acknowledgeNudge that is not a boolean", async () => {
    const { app } = await nudgingApp();
    const res = await postJson(app, threadPath, commentBody({ body: "scandal", acknowledgeNudge: "yes" }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty("acknowledgeNudge");
  });
});
