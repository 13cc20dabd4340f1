import { describe, expect, it } from "vitest";
import { postAnswerSchema, threadPageSchema } from "@comments/core";
import { asModerator, commentBody, postJson, site, testApp } from "./support/harness.ts";
import { bearer, readerToken, signInSite, ssoSecret, ssoSecrets } from "./support/sso.ts";

const thread = "/v1/sites/demo/threads/sso-article/comments";
const signedInApp = (overrides: Parameters<typeof signInSite>[0] = {}, ip?: string) =>
  testApp({ sites: [signInSite(overrides)], secrets: ssoSecrets, ...(ip ? { ip } : {}) });

async function threadPage(app: Awaited<ReturnType<typeof testApp>>["app"]) {
  return threadPageSchema.parse(await (await app.request(thread)).json());
}

describe("signing in from the host site", () => {
  it("posts as the token's reader without author or captcha, with the verified mark, staff badge and avatar", async () => {
    const { app } = await signedInApp();
    const token = await readerToken({ role: "staff", avatar: "https://cdn.example.com/ada.png", url: "https://ada.example.com", email: "ada@example.com" });
    const res = await postJson(app, thread, { body: "Signed in." }, bearer(token));
    expect(res.status).toBe(201);
    const answer = postAnswerSchema.parse(await res.json());
    expect(answer.comment.author).toEqual({
      name: "Ada Lovelace",
      url: "https://ada.example.com",
      verified: true,
      badge: "staff",
      avatar: "https://cdn.example.com/ada.png",
    });
    const page = await threadPage(app);
    expect(page.comments[0]?.author).toEqual(answer.comment.author);
    expect(JSON.stringify(page)).not.toContain("ada@example.com");
  });

  it("ignores an author sent in the body and shows guests as unverified", async () => {
    const { app } = await signedInApp();
    const res = await postJson(app, thread, { body: "Mine.", author: { name: "Somebody Else", url: "https://else.example" } }, bearer(await readerToken()));
    expect((await res.json()).comment.author).toEqual({ name: "Ada Lovelace", url: null, verified: true, badge: null, avatar: null });
    const guest = await postJson(app, thread, commentBody({ author: { name: "Guest" }, body: "Guest words." }));
    expect((await guest.json()).comment.author).toEqual({ name: "Guest", url: null, verified: false, badge: null, avatar: null });
  });

  it("asks signed-in readers for a captcha when the site says so", async () => {
    const { app } = await signedInApp({ auth: { captchaForSignedIn: true } });
    const token = await readerToken();
    const missing = await postJson(app, thread, { body: "No captcha." }, bearer(token));
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.fields).toEqual({ captchaToken: "Captcha token is required" });
    const failed = await postJson(app, thread, { body: "Bad captcha.", captchaToken: "test:fail" }, bearer(token));
    expect(failed.status).toBe(403);
    expect((await failed.json()).error.code).toBe("captcha_failed");
    const low = await postJson(app, thread, { body: "Low score.", captchaToken: "test:0.5" }, bearer(token));
    expect(low.status).toBe(202);
  });

  it("checks the body of a signed-in post like any other", async () => {
    const { app } = await signedInApp();
    const res = await postJson(app, thread, { body: "  " }, bearer(await readerToken()));
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toEqual({ body: "Please enter your comment!" });
  });
});

describe("the widget's site config", () => {
  it("says whether the site signs readers in and where Sign in goes", async () => {
    const { app } = await signedInApp({ auth: { loginUrl: "https://news.example/login" } });
    expect((await (await app.request("/v1/sites/demo/config")).json()).auth).toEqual({ signIn: true, loginUrl: "https://news.example/login", captchaForSignedIn: false });
  });
});

describe("bad sign-in tokens", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const refused: Array<[string, () => Promise<string>]> = [
    ["a wrong secret", () => readerToken({}, { key: "another-secret-entirely-0123456789" })],
    ["an expired token", () => readerToken({ exp: now() - 3600 })],
    ["alg none", async () => `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "reader-42", name: "Ada", exp: now() + 600 })}.`],
    ["HS512", () => readerToken({}, { alg: "HS512" })],
    ["a missing sub", () => readerToken({ sub: undefined })],
    ["a missing name", () => readerToken({ name: undefined })],
    ["a wrong aud", () => readerToken({ aud: "another-site" })],
    ["garbage", async () => "garbage"],
  ];

  it.each(refused)("refuses %s with 401 invalid_token and stores nothing", async (_what, make) => {
    const { app } = await signedInApp();
    const token = await make();
    const res = await postJson(app, thread, { body: "Should not land.", captchaToken: "test:0.9", author: { name: "X" } }, bearer(token));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "invalid_token", message: "Your sign-in has expired or is not valid. Please sign in again." } });
    expect((await threadPage(app)).comments).toEqual([]);
    expect((await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items).toEqual([]);
    // A bad token on a read is refused the same way (the widget then falls back to the guest form).
    expect((await app.request(thread, { headers: bearer(token) })).status).toBe(401);
  });

  it("refuses any Bearer token on a site without sign-in", async () => {
    const { app } = await testApp({ sites: [site()], secrets: ssoSecrets });
    const res = await postJson(app, thread, commentBody(), bearer(await readerToken()));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("invalid_token");
    expect((await threadPage(app)).comments).toEqual([]);
  });

  it("refuses an Authorization header that is not a Bearer token", async () => {
    const { app } = await signedInApp();
    const res = await postJson(app, thread, commentBody(), { authorization: "Basic dXNlcjpwYXNz" });
    expect(res.status).toBe(401);
  });

  it("is a start-up error when ssoSecretEnv names an unset variable", async () => {
    await expect(testApp({ sites: [signInSite()], secrets: {} })).rejects.toThrow(/sites\[0\]\.auth\.ssoSecretEnv: environment variable NEWS_SSO_SECRET is not set/);
    await expect(testApp({ sites: [signInSite()], secrets: { NEWS_SSO_SECRET: ssoSecret } })).resolves.toBeDefined();
  });
});

describe("the rules for signed-in readers follow their sub", () => {
  it("bans the reader wherever they post from, and nobody else at their address", async () => {
    const { app } = await signedInApp();
    const first = await postJson(app, thread, { body: "Before the ban." }, { ...bearer(await readerToken()), "x-test-ip": "198.51.100.1" });
    const { comment } = await first.json();
    const ban = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "sso-article", commentId: comment.id, reason: "abuse" }, asModerator());
    expect(ban.status).toBe(201);
    const elsewhere = await postJson(app, thread, { body: "From elsewhere." }, { ...bearer(await readerToken({ name: "New Name" })), "x-test-ip": "198.51.100.2" });
    expect(elsewhere.status).toBe(403);
    expect((await elsewhere.json()).error.code).toBe("author_banned");
    const other = await postJson(app, thread, { body: "Another reader." }, { ...bearer(await readerToken({ sub: "reader-7" })), "x-test-ip": "198.51.100.2" });
    expect(other.status).toBe(201);
  });

  it("rate-limits the reader's account across addresses", async () => {
    const { app } = await signedInApp({ rateLimit: { perMinute: 50, perHour: 2 } });
    const token = await readerToken();
    for (const [i, ip] of ["198.51.100.1", "198.51.100.2"].entries()) {
      expect((await postJson(app, thread, { body: `Comment ${i}` }, { ...bearer(token), "x-test-ip": ip })).status).toBe(201);
    }
    const third = await postJson(app, thread, { body: "Comment 3" }, { ...bearer(token), "x-test-ip": "198.51.100.3" });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    const otherReader = await postJson(app, thread, { body: "Comment 4" }, { ...bearer(await readerToken({ sub: "reader-7" })), "x-test-ip": "198.51.100.3" });
    expect(otherReader.status).toBe(201);
  });

  it("pre-moderates a reader's first comment and trusts them once one is published, whatever name they use", async () => {
    const { app } = await signedInApp({ moderation: { premoderateFirstComment: true } });
    const first = await postJson(app, thread, { body: "My first." }, bearer(await readerToken()));
    expect(first.status).toBe(202);
    const { comment } = await first.json();
    const decided = await postJson(app, `/v1/mod/sites/demo/threads/sso-article/comments/${comment.id}/decision`, { action: "approve" }, asModerator());
    expect(decided.status).toBe(200);
    const second = await postJson(app, thread, { body: "My second." }, { ...bearer(await readerToken({ name: "Ada L." })), "x-test-ip": "198.51.100.9" });
    expect(second.status).toBe(201);
  });

  it("refuses the same body twice from the same reader (duplicate guard)", async () => {
    const { app } = await signedInApp();
    expect((await postJson(app, thread, { body: "Once only." }, bearer(await readerToken()))).status).toBe(201);
    const again = await postJson(app, thread, { body: "Once only." }, { ...bearer(await readerToken({ name: "Other Name" })), "x-test-ip": "198.51.100.5" });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("duplicate_comment");
  });
});
