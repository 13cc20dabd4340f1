import { describe, expect, it } from "vitest";
import { threadPageSchema } from "@comments/core";
import { createApp, createRuntime, createThreadReadCache } from "@comments/api";
import { asModerator, commentBody, freshStore, postJson, site, testApp, testIpHashKey } from "./support/harness.ts";

const threadPath = "/v1/sites/demo/threads/breaking/comments";

/** A clock the test moves by hand: no test here waits for time to pass. */
function manualClock(start = 1_000_000) {
  let at = start;
  return { now: () => at, advance: (ms: number) => void (at += ms) };
}

type App = Awaited<ReturnType<typeof testApp>>["app"];
const bodies = async (app: App, path = threadPath) => threadPageSchema.parse(await (await app.request(path)).json()).comments.map((c) => c.bodyHtml);

/** One process with a one-second read cache, and a second process (another Lambda instance) on the same store. */
async function twoInstances() {
  const clock = manualClock();
  const cached = await testApp({ readCache: createThreadReadCache({ ttlMs: 1000, now: clock.now }) });
  const other = await testApp({ store: cached.store });
  return { clock, app: cached.app, other: other.app, store: cached.store };
}

describe("the in-process read cache of thread pages (READ_CACHE_MS)", () => {
  it("shows a reader their own comment on the very next read, and a moderator's decision at once", async () => {
    const { app } = await twoInstances();
    expect(await bodies(app)).toEqual([]);
    expect((await postJson(app, threadPath, commentBody({ body: "first!" }))).status).toBe(201);
    expect(await bodies(app)).toEqual(["<p>first!</p>"]);

    const queued = await (await postJson(app, threadPath, commentBody({ body: "held back", captchaToken: "test:0.5" }))).json();
    expect(await bodies(app)).toEqual(["<p>first!</p>"]);
    const decided = await postJson(app, `/v1/mod/sites/demo/threads/breaking/comments/${queued.comment.id}/decision`, { action: "approve" }, asModerator());
    expect(decided.status).toBe(200);
    expect(await bodies(app)).toEqual(["<p>first!</p>", "<p>held back</p>"]);
  });

  it("shows a reader their own like, and its withdrawal, on the very next read", async () => {
    const { app } = await twoInstances();
    const posted = await (await postJson(app, threadPath, commentBody({ body: "worth a like" }))).json();
    const likes = async () => threadPageSchema.parse(await (await app.request(threadPath)).json()).comments.map((c) => c.likes);
    expect(await likes()).toEqual([0]);
    const like = (method: "PUT" | "DELETE") => app.request(`${threadPath}/${posted.comment.id}/like`, { method, headers: { "x-test-ip": "203.0.113.9" } });
    expect((await like("PUT")).status).toBe(200);
    expect(await likes()).toEqual([1]);
    expect((await like("DELETE")).status).toBe(200);
    expect(await likes()).toEqual([0]);
  });

  it("may serve another process's write late, for at most the cache's lifetime", async () => {
    const { clock, app, other } = await twoInstances();
    expect(await bodies(app)).toEqual([]);
    expect((await postJson(other, threadPath, commentBody({ body: "from elsewhere" }))).status).toBe(201);
    // Within the second: this process still answers what it read (the other process's write is not its own).
    expect(await bodies(app)).toEqual([]);
    expect(await bodies(other)).toEqual(["<p>from elsewhere</p>"]);
    clock.advance(1000);
    expect(await bodies(app)).toEqual(["<p>from elsewhere</p>"]);
  });

  it("keys pages by site, thread and query string", async () => {
    const { app, other } = await twoInstances();
    await postJson(other, threadPath, commentBody({ body: "one" }));
    expect(await bodies(app, `${threadPath}?limit=1`)).toEqual(["<p>one</p>"]);
    await postJson(other, threadPath, commentBody({ body: "two", author: { name: "Bo" } }));
    // A query string not read before is a page not cached before.
    expect(await bodies(app, `${threadPath}?limit=5`)).toEqual(["<p>one</p>", "<p>two</p>"]);
    expect(await bodies(app, `${threadPath}?limit=1`)).toEqual(["<p>one</p>"]);
    expect(await bodies(app, "/v1/sites/demo/threads/elsewhere/comments")).toEqual([]);
  });

  it("answers with the same ETag and body as an uncached read, and 304 to a matching If-None-Match", async () => {
    const { app, other } = await twoInstances();
    await postJson(app, threadPath, commentBody({ body: "tagged" }));
    const first = await app.request(threadPath);
    const fromCache = await app.request(threadPath);
    const uncached = await other.request(threadPath);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    expect(fromCache.headers.get("etag")).toBe(etag);
    expect(uncached.headers.get("etag")).toBe(etag);
    expect(await fromCache.json()).toEqual(await uncached.json());
    const notModified = await app.request(threadPath, { headers: { "if-none-match": etag! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
  });

  it("is off with READ_CACHE_MS=0: another process's write is read at once", async () => {
    const { store } = await freshStore();
    const runtime = createRuntime({ env: { READ_CACHE_MS: "0" }, sites: [site()], ipHashKey: testIpHashKey, store, readCacheDefaultMs: 1000 });
    const app = createApp(runtime.appDeps({ clientIp: () => "203.0.113.9" }));
    const { app: other } = await testApp({ store });
    expect(await bodies(app)).toEqual([]);
    await postJson(other, threadPath, commentBody({ body: "seen at once" }));
    expect(await bodies(app)).toEqual(["<p>seen at once</p>"]);
    expect(runtime.readCache.size).toBe(0);
  });

  it("is on by default where the host asks for it (local server, Lambda), and refuses a malformed READ_CACHE_MS", async () => {
    const { store } = await freshStore();
    const base = { sites: [site()], ipHashKey: testIpHashKey, store };
    const host = createRuntime({ ...base, env: {}, readCacheDefaultMs: 1000 });
    const app = createApp(host.appDeps({}));
    await app.request(threadPath);
    expect(host.readCache.size).toBe(1);
    expect(createRuntime({ ...base, env: {} }).readCache.size).toBe(0);
    expect(() => createRuntime({ ...base, env: { READ_CACHE_MS: "1s" } })).toThrow('READ_CACHE_MS must be a whole number of milliseconds (0 turns the read cache off), not "1s"');
    expect(() => createRuntime({ ...base, env: { READ_CACHE_MS: "-5" } })).toThrow(/READ_CACHE_MS must be a whole number/);
  });
});

describe("the read cache's bounds", () => {
  it("keeps at most maxEntries pages, dropping the least recently used, and never keeps a failed load", async () => {
    const clock = manualClock();
    const cache = createThreadReadCache({ ttlMs: 1000, maxEntries: 2, now: clock.now });
    let loads = 0;
    const read = (thread: string) => cache.read("demo", thread, "", async () => `${thread}:${++loads}`);
    expect(await read("a")).toBe("a:1");
    expect(await read("b")).toBe("b:2");
    expect(await read("a")).toBe("a:1"); // a is now the most recently used
    expect(await read("c")).toBe("c:3"); // b goes
    expect(cache.size).toBe(2);
    expect(await read("a")).toBe("a:1");
    expect(await read("b")).toBe("b:4");

    await expect(cache.read("demo", "d", "", () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    expect(await cache.read("demo", "d", "", async () => "d:recovered")).toBe("d:recovered");
  });

  it("drops every page of a thread on invalidate, and only that thread's", async () => {
    const cache = createThreadReadCache({ ttlMs: 1000, now: () => 0 });
    let loads = 0;
    const read = (thread: string, query: string) => cache.read("demo", thread, query, async () => ++loads);
    await read("hot", "?limit=10");
    await read("hot", "#thread");
    await read("calm", "");
    cache.invalidate("demo", "hot");
    expect(cache.size).toBe(1);
    expect(await read("calm", "")).toBe(3);
    expect(await read("hot", "?limit=10")).toBe(4);
    cache.invalidate("other-site", "calm");
    expect(await read("calm", "")).toBe(3);
  });

  it("shares one store read among concurrent readers of a cold page", async () => {
    const cache = createThreadReadCache({ ttlMs: 1000, now: () => 0 });
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      loads++;
      await gate;
      return "page";
    };
    const readers = Promise.all([cache.read("demo", "t", "", load), cache.read("demo", "t", "", load), cache.read("demo", "t", "", load)]);
    release();
    expect(await readers).toEqual(["page", "page", "page"]);
    expect(loads).toBe(1);
  });
});
