import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asModerator, commentBody, postJson, site, testApp } from "./support/harness.ts";
import { startSiteverifyServer, type SiteverifyBehaviour, type SiteverifyServer } from "./support/siteverify-server.ts";

const thread = "/v1/sites/demo/threads/t/comments";

/** Tokens name the provider's answer, so one server serves every case. */
function behaviour(token: string): SiteverifyBehaviour {
  const [kind, arg] = token.split(":");
  switch (kind) {
    case "ok":
      return { kind: "json", body: { success: true, score: Number(arg ?? 0.9), action: "comment", hostname: "news.example" } };
    case "noscore":
      return { kind: "json", body: { success: true, hostname: "news.example" } };
    case "wrong-action":
      return { kind: "json", body: { success: true, score: 0.9, action: "login", hostname: "news.example" } };
    case "wrong-host":
      return { kind: "json", body: { success: true, score: 0.9, action: "comment", hostname: "evil.example" } };
    case "no-host":
      return { kind: "json", body: { success: true, score: 0.9, action: "comment" } };
    case "upper-host":
      return { kind: "json", body: { success: true, score: 0.9, action: "comment", hostname: "NEWS.Example" } };
    case "rejected":
      return { kind: "json", body: { success: false, "error-codes": ["invalid-input-response"] } };
    case "rejected-400":
      return { kind: "json", status: 400, body: { success: false, "error-codes": ["timeout-or-duplicate"] } };
    case "bad-secret":
      return { kind: "json", body: { success: false, "error-codes": ["invalid-input-secret"] } };
    case "slow":
      return { kind: "slow", delayMs: 2000 };
    case "5xx":
      return { kind: "status", status: 502 };
    case "html":
      return { kind: "status", status: 200, text: "<html>maintenance</html>" };
    case "reset":
      return { kind: "reset" };
    default:
      return { kind: "json", body: { success: false } };
  }
}

let provider: SiteverifyServer;
beforeAll(async () => {
  // The cases name the answer by token and send the same tokens again on purpose.
  provider = await startSiteverifyServer(behaviour, { singleUseTokens: false });
});
afterAll(async () => provider.stop());

function providerSite(provider_: "recaptcha-v3" | "turnstile" | "hcaptcha", extra: Record<string, unknown> = {}) {
  return site({
    rateLimit: { perMinute: 1000, perHour: 1000 },
    captcha: { provider: provider_, siteKey: "site-key", secretEnv: "CAPTCHA_SECRET", verifyUrl: provider.url, timeoutMs: 300, ...extra },
  });
}

async function appFor(name: "recaptcha-v3" | "turnstile" | "hcaptcha", extra: Record<string, unknown> = {}) {
  return (await testApp({ sites: [providerSite(name, extra)], secrets: { CAPTCHA_SECRET: "s3cret" } })).app;
}

async function post(app: Awaited<ReturnType<typeof appFor>>, token: string) {
  const res = await postJson(app, thread, commentBody({ captchaToken: token, body: `token ${token} ${Math.random()}` }));
  return { status: res.status, json: await res.json() };
}

async function reasonsInQueue(app: Awaited<ReturnType<typeof appFor>>, id: string) {
  const queue = await (await app.request("/v1/mod/sites/demo/queue?limit=100", { headers: asModerator() })).json();
  return queue.items.find((i: { id: string }) => i.id === id)?.reasons;
}

describe("reCAPTCHA v3", () => {
  it("sends secret, token and remote IP as a form post", async () => {
    const app = await appFor("recaptcha-v3");
    provider.requests.length = 0;
    await post(app, "ok:0.9");
    expect(provider.requests[0]).toEqual({ secret: "s3cret", response: "ok:0.9", remoteip: "203.0.113.7" });
  });

  it("publishes a high score, queues a middle score and refuses a low score", async () => {
    const app = await appFor("recaptcha-v3");
    expect((await post(app, "ok:0.9")).status).toBe(201);
    const mid = await post(app, "ok:0.5");
    expect(mid.status).toBe(202);
    expect(await reasonsInQueue(app, mid.json.comment.id)).toEqual(["captcha_low_score"]);
    expect(await post(app, "ok:0.1")).toEqual({
      status: 403,
      json: { error: { code: "captcha_score_too_low", message: "CAPTCHA user score failed. Please contact us!" } },
    });
  });

  it.each(["rejected", "rejected-400", "wrong-action"])("refuses %s with captcha_failed", async (token) => {
    const app = await appFor("recaptcha-v3");
    expect(await post(app, token)).toEqual({ status: 403, json: { error: { code: "captcha_failed", message: "Captcha verification failed!" } } });
  });

  it("checks hostnames exactly and case-insensitively when configured", async () => {
    const app = await appFor("recaptcha-v3", { hostnames: ["news.example"] });
    expect((await post(app, "ok:0.9")).status).toBe(201);
    expect((await post(app, "upper-host")).status).toBe(201);
    expect((await post(app, "wrong-host")).json.error.code).toBe("captcha_failed");
    expect((await post(app, "no-host")).json.error.code).toBe("captcha_failed");
    const open = await appFor("recaptcha-v3");
    expect((await post(open, "wrong-host")).status).toBe(201);
  });

  it.each(["slow", "5xx", "html", "reset", "bad-secret"])("keeps the comment as pending (captcha_unavailable) when the provider is %s", async (token) => {
    const app = await appFor("recaptcha-v3");
    const answer = await post(app, token);
    expect(answer.status).toBe(202);
    expect(answer.json.comment.status).toBe("pending");
    expect(await reasonsInQueue(app, answer.json.comment.id)).toEqual(["captcha_unavailable"]);
  });

  it("keeps the comment when the provider is unreachable", async () => {
    const app = (
      await testApp({
        sites: [site({ captcha: { provider: "recaptcha-v3", secretEnv: "CAPTCHA_SECRET", verifyUrl: "http://127.0.0.1:9/siteverify", timeoutMs: 300 } })],
        secrets: { CAPTCHA_SECRET: "s3cret" },
      })
    ).app;
    const answer = await post(app, "anything");
    expect(answer.status).toBe(202);
    expect(await reasonsInQueue(app, answer.json.comment.id)).toEqual(["captcha_unavailable"]);
  });
});

describe("Turnstile", () => {
  it("passes on success without a score and refuses a rejected token", async () => {
    const app = await appFor("turnstile");
    expect((await post(app, "noscore")).status).toBe(201);
    expect((await post(app, "rejected")).json.error.code).toBe("captcha_failed");
    expect((await post(app, "wrong-action")).json.error.code).toBe("captcha_failed");
    expect((await post(app, "5xx")).status).toBe(202);
  });
});

describe("hCaptcha", () => {
  it("sends the site key and reads Enterprise scores the other way round (1 = bot)", async () => {
    const app = await appFor("hcaptcha");
    provider.requests.length = 0;
    expect((await post(app, "ok:0.1")).status).toBe(201); // 1 - 0.1 = 0.9
    expect(provider.requests[0]).toMatchObject({ sitekey: "site-key", secret: "s3cret" });
    expect((await post(app, "ok:0.5")).status).toBe(202);
    expect((await post(app, "ok:0.9")).json.error.code).toBe("captcha_score_too_low");
    expect((await post(app, "noscore")).status).toBe(201);
  });
});

describe("start-up checks", () => {
  it("refuses a real provider whose secret variable is unset, naming the field", async () => {
    await expect(testApp({ sites: [providerSite("turnstile")], secrets: {} })).rejects.toThrow(/sites\[0\]\.captcha\.secretEnv/);
  });
});
