import { afterEach, describe, expect, it, vi } from "vitest";
import { errorResponseSchema } from "@comments/core";
import { newModeratorKey } from "@comments/api";
import { freePort } from "@comments/local";
import { createClients, createStore } from "@comments/store";
import { asModerator, commentBody, devKey, freshStore, postJson, site, testApp } from "./support/harness.ts";

const unknownId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

/** Every moderation route, with a body where it takes one. */
function moderationRoutes(commentId: string, banId: string): [string, string, unknown?][] {
  return [
    ["GET", "/v1/mod/me"],
    ["GET", "/v1/mod/sites/demo/queue"],
    ["GET", "/v1/mod/sites/demo/audit"],
    ["GET", "/v1/mod/sites/demo/bans"],
    ["POST", "/v1/mod/sites/demo/bans", { threadId: "t", commentId, reason: "abuse" }],
    ["DELETE", `/v1/mod/sites/demo/bans/${banId}`],
    ["POST", `/v1/mod/sites/demo/threads/t/comments/${commentId}/decision`, { action: "approve" }],
    ["POST", "/v1/mod/sites/demo/decisions", { items: [{ threadId: "t", commentId }], action: "approve" }],
    ["GET", `/v1/mod/sites/demo/authors/${Buffer.from("some-author-hash").toString("base64url")}/comments`],
    ["GET", "/v1/mod/sites/demo/stats?days=7"],
    ["GET", "/v1/mod/keys"],
    ["POST", "/v1/mod/keys", { name: "new", sites: ["demo"], role: "moderator" }],
    ["DELETE", `/v1/mod/keys/${"Z".repeat(16)}`],
  ];
}

async function setup() {
  const { store, tableName, clients } = await freshStore();
  const { app } = await testApp({ store, sites: [site({ rateLimit: { perMinute: 100, perHour: 100 } }), { id: "other", origins: ["https://other.example"] }] });
  const valid = newModeratorKey("alice", ["demo"], new Date());
  const otherSite = newModeratorKey("olga", ["other"], new Date());
  const revoked = newModeratorKey("rex", ["demo"], new Date());
  for (const key of [valid, otherSite, revoked]) await store.putModeratorKey(key.record);
  await store.revokeModeratorKey(revoked.record.keyId, new Date());
  const pending = (await (await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ captchaToken: "test:0.5" }))).json()).comment.id as string;
  const published = (await (await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ body: "published" }), { "x-test-ip": "10.40.0.2" })).json()).comment.id as string;
  const ban = (await (await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: published, reason: "existing" }, asModerator())).json()).ban.id as string;
  const [keyId, secret] = valid.key.slice(3).split(".") as [string, string];
  return { app, store, tableName, clients, valid, otherSite, revoked, pending, ban, keyId, secret };
}

/** The queue, audit and bans as the dev key sees them: must be unchanged by any refused request. */
async function moderationState(app: Awaited<ReturnType<typeof setup>>["app"]) {
  const read = async (path: string) => (await app.request(path, { headers: asModerator() })).json();
  return { queue: await read("/v1/mod/sites/demo/queue"), audit: await read("/v1/mod/sites/demo/audit"), bans: await read("/v1/mod/sites/demo/bans") };
}

describe("moderator keys", () => {
  it("refuses missing, malformed, revoked, unknown and wrong-secret keys with 401 on every route, changing nothing", async () => {
    const { app, revoked, pending, ban, keyId, secret } = await setup();
    const before = await moderationState(app);
    const flip = (text: string) => text.slice(0, -1) + (text.endsWith("A") ? "B" : "A");
    const refused: Record<string, string | undefined> = {
      missing: undefined,
      empty: "",
      "no scheme": devKey,
      "basic scheme": `Basic ${Buffer.from(`x:${devKey}`).toString("base64")}`,
      "bearer without key": "Bearer ",
      "two keys": `Bearer ${devKey} ${devKey}`,
      "dev key with a suffix": `Bearer ${devKey}x`,
      "dev key prefix": `Bearer ${devKey.slice(0, -1)}`,
      "over-long": `Bearer ${"k".repeat(300)}`,
      "key with a space inside": `Bearer ${devKey.slice(0, 4)} ${devKey.slice(4)}`,
      revoked: `Bearer ${revoked.key}`,
      "unknown key id": `Bearer mk_${flip(keyId)}.${secret}`,
      "wrong secret": `Bearer mk_${keyId}.${flip(secret)}`,
      "truncated secret": `Bearer mk_${keyId}.${secret.slice(0, -1)}`,
      "lower-cased": `Bearer mk_${keyId.toLowerCase()}.${secret}`,
    };
    for (const [method, path, body] of moderationRoutes(pending, ban)) {
      for (const [name, authorization] of Object.entries(refused)) {
        const res = await app.request(path, {
          method,
          headers: { ...(authorization !== undefined ? { authorization } : {}), "content-type": "application/json" },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, `${method} ${path} with ${name}`).toBe(401);
        const json = errorResponseSchema.parse(await res.json());
        expect(json.error.code).toBe("unauthorized");
      }
    }
    expect(await moderationState(app)).toEqual(before);
  });

  it("answers an unknown key id and a wrong secret identically, so neither tells whether a key id exists", async () => {
    const { app, keyId, secret } = await setup();
    const unknown = await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(`mk_${"Z".repeat(16)}.${secret}`) });
    const wrong = await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(`mk_${keyId}.${"x".repeat(43)}`) });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(await unknown.text()).toBe(await wrong.text());
  });

  it("refuses a key made for another site with 403 forbidden on every site route, changing nothing", async () => {
    const { app, otherSite, pending, ban } = await setup();
    const before = await moderationState(app);
    for (const [method, path, body] of moderationRoutes(pending, ban).filter(([, path]) => path.startsWith("/v1/mod/sites/"))) {
      const res = await app.request(path, { method, headers: { ...asModerator(otherSite.key), "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    expect(await (await app.request("/v1/mod/me", { headers: asModerator(otherSite.key) })).json()).toEqual({ name: "olga", role: "moderator", sites: [{ id: "other", name: "other" }] });
    expect(await moderationState(app)).toEqual(before);
  });
});

describe("keys never reach the logs", () => {
  const spies: ReturnType<typeof vi.spyOn>[] = [];
  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  it("logs store failures on moderation routes without the key that was presented", async () => {
    // Everything the process prints is captured, whichever way it is printed.
    const printed: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      spies.push(vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "))));
    }
    const stored = newModeratorKey("alice", ["demo"], new Date());
    // A store nobody answers on: every call fails, every route logs a 503.
    const deadEndpoint = `http://127.0.0.1:${await freePort()}`;
    const dead = createClients({ endpoint: deadEndpoint, maxAttempts: 1, requestTimeoutMs: 500 });
    const { app } = await testApp({ store: createStore(dead.documentClient, "comments"), sites: [site()], logger: undefined });
    const keys = [devKey, stored.key, "mk_ZZZZZZZZZZZZZZZZ.secret-looking-value-that-is-not-a-real-key-00", "an-arbitrary-presented-key"];
    const statuses = new Set<number>();
    for (const key of keys) {
      for (const [method, path, body] of moderationRoutes(unknownId, unknownId)) {
        const res = await app.request(path, { method, headers: { ...asModerator(key), "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
        statuses.add(res.status);
        const text = await res.text();
        for (const secret of [key, key.split(".")[1]].filter((s): s is string => Boolean(s))) expect(text).not.toContain(secret);
      }
    }
    dead.client.destroy();
    expect(statuses.has(503)).toBe(true);
    expect(printed.length).toBeGreaterThan(0);
    const log = printed.join("\n");
    for (const key of keys) {
      expect(log).not.toContain(key);
      const secret = key.split(".")[1];
      if (secret) expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/bearer/i);
  });
});

describe("CORS on public and moderation routes", () => {
  const outsiders = ["https://evil.example", "null", "https://news.example.evil.example", "http://news.example", "https://news.example:8443", "https://evil.example/https://news.example"];

  it("refuses preflights and requests from origins that are not allowed, without CORS headers and without side effects", async () => {
    const { app, pending, ban } = await setup();
    const before = await moderationState(app);
    const threadBefore = await (await app.request("/v1/sites/demo/threads/t/comments")).json();
    const publicRoutes: [string, string, unknown?][] = [
      ["GET", "/v1/sites/demo/config"],
      ["GET", "/v1/sites/demo/threads/t/comments"],
      ["GET", "/v1/sites/demo/counts?thread=t"],
      ["POST", "/v1/sites/demo/threads/t/comments", commentBody({ body: "from elsewhere" })],
      ["POST", `/v1/sites/demo/threads/t/comments/${pending}/flags`, { reason: "spam" }],
    ];
    for (const origin of outsiders) {
      for (const [method, path, body] of [...publicRoutes, ...moderationRoutes(pending, ban)]) {
        const preflight = await app.request(path, { method: "OPTIONS", headers: { origin, "access-control-request-method": method, "access-control-request-headers": "authorization,content-type,idempotency-key" } });
        expect(preflight.status, `preflight ${path} from ${origin}`).toBe(403);
        expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
        const res = await app.request(path, {
          method,
          headers: { origin, "content-type": "application/json", ...(path.startsWith("/v1/mod/") ? asModerator() : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, `${method} ${path} from ${origin}`).toBe(403);
        expect((await res.json()).error.code).toBe("origin_not_allowed");
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
      }
    }
    // A site's origin is not allowed on another site's public routes.
    expect((await app.request("/v1/sites/other/config", { headers: { origin: "https://news.example" } })).status).toBe(403);
    expect(await moderationState(app)).toEqual(before);
    expect(await (await app.request("/v1/sites/demo/threads/t/comments")).json()).toEqual(threadBefore);
  });

  it("answers allowed origins with their own origin echoed, preflight included", async () => {
    const { app } = await testApp();
    for (const path of ["/v1/sites/demo/threads/t/comments", "/v1/mod/sites/demo/queue"]) {
      const preflight = await app.request(path, { method: "OPTIONS", headers: { origin: "https://news.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://news.example");
      expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      const res = await app.request(path, { headers: { origin: "https://news.example", ...asModerator() } });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe("https://news.example");
      expect(res.headers.get("vary")).toMatch(/origin/i);
    }
  });
});
