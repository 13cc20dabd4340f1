import { describe, expect, it } from "vitest";
import { siteConfigResponseSchema, threadPageSchema } from "@comments/core";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";
import { child, childrenNamed, parseXml } from "./support/atom.ts";

const atomNs = "http://www.w3.org/2005/Atom";
const commentsPath = (thread: string) => `/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments`;
const page = (path: string, title?: string) => ({ url: `https://news.example${path}`, ...(title === undefined ? {} : { title }) });
const roomySite = () => site({ rateLimit: { perMinute: 1000, perHour: 1000 } });

async function post(app: Awaited<ReturnType<typeof testApp>>["app"], thread: string, overrides: Record<string, unknown> = {}, ip = "203.0.113.9") {
  const res = await postJson(app, commentsPath(thread), commentBody(overrides), { "x-test-ip": ip });
  return { status: res.status, id: (await res.json()).comment?.id as string };
}

/** A store that records the name of every DynamoDB call it makes. */
async function countingStore() {
  const calls: string[] = [];
  const { store } = await freshStore({ onCapacity: (operation) => calls.push(operation) });
  return { store, calls };
}

describe("a post's page address", () => {
  it("becomes the thread's url and title, the latest post winning", async () => {
    const { app } = await testApp({ sites: [roomySite()] });
    expect((await post(app, "t", { page: page("/2026/story", "First title") })).status).toBe(201);
    expect((await post(app, "t", { page: page("/2026/story?ref=home", "Story — updated"), body: "a second thought" })).status).toBe(201);
    const read = threadPageSchema.parse(await (await app.request(commentsPath("t"))).json());
    expect(read.thread).toMatchObject({ url: "https://news.example/2026/story?ref=home", title: "Story — updated" });
  });

  it("leaves url and title null for a thread whose posts sent no page", async () => {
    const { app } = await testApp();
    await post(app, "plain");
    const read = threadPageSchema.parse(await (await app.request(commentsPath("plain"))).json());
    expect(read.thread).toMatchObject({ url: null, title: null });
  });

  it.each([
    ["another site's origin", { url: "https://evil.example/story" }],
    ["a javascript: address", { url: "javascript:alert(1)" }],
    ["a relative address", { url: "/story" }],
    ["not text", { url: 42 }],
  ])("refuses %s with 400 validation_failed on page.url", async (_, badPage) => {
    const { app } = await testApp();
    const res = await postJson(app, commentsPath("t"), commentBody({ page: badPage }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields).toHaveProperty(["page.url"]);
  });

  it("refuses a title over 300 characters on page.title and a page that is not an object", async () => {
    const { app } = await testApp();
    const long = await postJson(app, commentsPath("t"), commentBody({ page: page("/s", "x".repeat(301)) }));
    expect(long.status).toBe(400);
    expect((await long.json()).error.fields).toHaveProperty(["page.title"]);
    const notObject = await postJson(app, commentsPath("t"), commentBody({ page: "https://news.example/" }));
    expect(notObject.status).toBe(400);
    expect((await notObject.json()).error.fields).toHaveProperty(["page"]);
  });

  it("accepts a title of exactly 300 characters", async () => {
    const { app } = await testApp();
    expect((await post(app, "t", { page: page("/s", "t".repeat(300)) })).status).toBe(201);
  });
});

describe("permalinks", () => {
  it("redirect a published comment to its page with #comment-<id>, in one DynamoDB read", async () => {
    const { store, calls } = await countingStore();
    const { app } = await testApp({ store });
    const { id } = await post(app, "t", { page: page("/2026/story?x=1#top", "Story") });
    calls.length = 0;
    const res = await app.request(`/v1/sites/demo/comments/${id}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`https://news.example/2026/story?x=1#comment-${id}`);
    expect(calls).toEqual(["findPermalink"]);
  });

  it("answer 404 comment_not_found for pending, rejected, unknown, malformed ids and comments without a page", async () => {
    const { app } = await testApp({ sites: [roomySite()] });
    const pending = await post(app, "t", { page: page("/s"), captchaToken: "test:0.5" });
    expect(pending.status).toBe(202);
    const rejected = await post(app, "t", { page: page("/s"), captchaToken: "test:0.5", body: "another one" }, "203.0.113.10");
    await postJson(app, `/v1/mod/sites/demo/threads/t/comments/${rejected.id}/decision`, { action: "reject" }, asModerator());
    const noPage = await post(app, "t", { body: "posted by an API client" }, "203.0.113.11");
    for (const id of [pending.id, rejected.id, noPage.id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "not-an-id", "%0d%0aSet-Cookie:x"]) {
      const res = await app.request(`/v1/sites/demo/comments/${id}`);
      expect(res.status, id).toBe(404);
      expect((await res.json()).error.code).toBe("comment_not_found");
    }
  });

  it("start working once a pending comment is approved", async () => {
    const { app } = await testApp({ sites: [roomySite()] });
    const { id } = await post(app, "t", { page: page("/s"), captchaToken: "test:0.5" });
    const decide = (action: string) => postJson(app, `/v1/mod/sites/demo/threads/t/comments/${id}/decision`, { action }, asModerator());
    expect((await decide("approve")).status).toBe(200);
    expect((await app.request(`/v1/sites/demo/comments/${id}`)).status).toBe(302);
  });

  it("need no Origin and refuse an unknown site with 404 site_not_found", async () => {
    const { app } = await testApp();
    const res = await app.request("/v1/sites/nope/comments/01ARZ3NDEKTSV4RRFFQ69G5FAV");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("site_not_found");
  });

  it("never carry a line break into Location", async () => {
    const { app } = await testApp();
    const { status, id } = await post(app, "t", { page: page("/a%0d%0aSet-Cookie:%20x=1\r\nX: y") });
    expect(status).toBe(201);
    const res = await app.request(`/v1/sites/demo/comments/${id}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).not.toMatch(/[\r\n]/);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("Atom feeds", () => {
  it("list a thread's published comments newest first, with permalink, author, updated and escaped HTML", async () => {
    const { app } = await testApp({ sites: [roomySite()] });
    const first = await post(app, "t", { page: page("/story", "A <story> & more"), author: { name: "Ann <b>", email: "ann@example.com" }, body: "first *one* <script>x</script>" });
    const second = await post(app, "t", { page: page("/story", "A <story> & more"), author: { name: "Bo" }, body: "second" }, "203.0.113.12");
    await post(app, "t", { captchaToken: "test:0.5", body: "still pending" }, "203.0.113.13");
    await post(app, "other", { body: "in another thread" }, "203.0.113.14");

    const res = await app.request(`${commentsPath("t")}.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const text = await res.text();
    expect(text).not.toContain("ann@example.com");
    const feed = parseXml(text);
    expect(feed).toMatchObject({ uri: atomNs, name: "feed" });
    expect(child(feed, "title").text).toBe("Comments on A <story> & more");
    expect(child(feed, "updated").text).toBe(childrenNamed(feed, "entry")[0] && child(childrenNamed(feed, "entry")[0]!, "updated").text);
    const entries = childrenNamed(feed, "entry");
    expect(entries.map((e) => child(e, "id").text)).toEqual([second.id, first.id].map((id) => `http://localhost/v1/sites/demo/comments/${id}`));
    const [, older] = entries;
    expect(child(child(older!, "author"), "name").text).toBe("Ann <b>");
    expect(child(older!, "link").attributes).toMatchObject({ rel: "alternate", href: `http://localhost/v1/sites/demo/comments/${first.id}` });
    expect(child(older!, "updated").text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const content = child(older!, "content");
    expect(content.attributes.type).toBe("html");
    // The escaped HTML decodes to the rendered body: markup as the widget shows it, raw input shown as text.
    expect(content.text).toContain("<em>one</em>");
    expect(content.text).toContain("&lt;script&gt;");
    expect(content.text).not.toContain("<script>");
  });

  it("serve the site feed from one Query: the latest 50 published comments of every thread, newest first", async () => {
    const { store, calls } = await countingStore();
    const { app } = await testApp({ store, sites: [roomySite()] });
    const ids: string[] = [];
    for (let i = 0; i < 52; i++) ids.push((await post(app, `thread-${i % 3}`, { body: `comment ${i}`, page: page(`/s${i % 3}`) }, `10.1.0.${i}`)).id);
    calls.length = 0;
    const res = await app.request("/v1/sites/demo/comments.atom");
    expect(res.status).toBe(200);
    expect(calls).toEqual(["siteFeed"]);
    const entries = childrenNamed(parseXml(await res.text()), "entry");
    expect(entries.map((e) => child(e, "id").text.split("/").at(-1))).toEqual(ids.slice(-50).reverse());
  });

  it("are valid and empty for a thread without comments, and need no Origin", async () => {
    const { app } = await testApp();
    const res = await app.request(`${commentsPath("quiet")}.atom`);
    const feed = parseXml(await res.text());
    expect(childrenNamed(feed, "entry")).toHaveLength(0);
    expect(child(feed, "id").text).toBe("http://localhost/v1/sites/demo/threads/quiet/comments.atom");
    expect(child(child(feed, "author"), "name").text).toBe("Demo");
  });

  it("drop characters XML cannot carry", async () => {
    const { app } = await testApp();
    await post(app, "t", { author: { name: "Ctl\u0001name" }, body: "bell \u0007 here" });
    const res = await app.request(`${commentsPath("t")}.atom`);
    const entry = childrenNamed(parseXml(await res.text()), "entry")[0]!;
    expect(child(child(entry, "author"), "name").text).toBe("Ctlname");
  });
});

describe("live updates", () => {
  it("expose liveUpdateSeconds in the site config (default 30, 0 turns them off)", async () => {
    const { app } = await testApp({ sites: [site({ id: "demo" }), site({ id: "quiet", liveUpdateSeconds: 0 })] });
    expect(siteConfigResponseSchema.parse(await (await app.request("/v1/sites/demo/config")).json()).liveUpdateSeconds).toBe(30);
    expect(siteConfigResponseSchema.parse(await (await app.request("/v1/sites/quiet/config")).json()).liveUpdateSeconds).toBe(0);
  });

  it("check with If-None-Match: one GetItem and a cacheable 304 until a comment arrives", async () => {
    const { store, calls } = await countingStore();
    const { app } = await testApp({ store });
    await post(app, "t");
    const first = await app.request(commentsPath("t"));
    const etag = first.headers.get("etag")!;
    calls.length = 0;
    const check = await app.request(commentsPath("t"), { headers: { "if-none-match": etag } });
    expect(check.status).toBe(304);
    expect(check.headers.get("cache-control")).toMatch(/s-maxage=\d+/);
    expect(calls).toEqual(["getThread"]);
    await post(app, "t", { body: "news" }, "203.0.113.20");
    const changed = await app.request(commentsPath("t"), { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect((await changed.json()).thread.commentCount).toBe(2);
  });
});
