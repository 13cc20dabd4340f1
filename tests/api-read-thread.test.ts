import { describe, expect, it } from "vitest";
import { countsSchema, siteConfigResponseSchema, threadPageSchema } from "@comments/core";
import { commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";

const path = (thread: string) => `/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments`;

async function seed(app: Awaited<ReturnType<typeof testApp>>["app"], thread: string, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await postJson(app, path(thread), commentBody({ body: `comment ${i}` }), { "x-test-ip": `10.0.${Math.floor(i / 200)}.${i % 200}` });
    ids.push((await res.json()).comment.id);
  }
  return ids;
}

describe("GET a thread", () => {
  it("answers an unknown thread with 200, no comments and count 0", async () => {
    const { app } = await testApp();
    const res = await app.request(path("never-commented"));
    expect(res.status).toBe(200);
    expect(threadPageSchema.parse(await res.json())).toEqual({
      thread: { siteId: "demo", threadId: "never-commented", commentCount: 0, closed: false, url: null, title: null },
      comments: [],
      nextCursor: null,
      featured: [],
    });
  });

  it("pages through published comments oldest first with nextCursor", async () => {
    const { app } = await testApp({ sites: [site({ rateLimit: { perMinute: 1000, perHour: 1000 } })] });
    const ids = await seed(app, "paged", 7);
    await postJson(app, path("paged"), commentBody({ body: "hidden", captchaToken: "test:0.5" }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await app.request(`${path("paged")}?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      const page = threadPageSchema.parse(await res.json());
      expect(page.thread.commentCount).toBe(7);
      seen.push(...page.comments.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it("gives no nextCursor when the page is exactly full", async () => {
    const { app } = await testApp();
    await seed(app, "exact", 3);
    expect((await (await app.request(`${path("exact")}?limit=3`)).json()).nextCursor).toBeNull();
  });

  it.each(["0", "101", "abc", "1.5", "-1"])("rejects limit=%s with 400 validation_failed", async (limit) => {
    const { app } = await testApp();
    const res = await app.request(`${path("t")}?limit=${limit}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "validation_failed", fields: { limit: expect.any(String) } });
  });

  it("rejects a cursor it did not make", async () => {
    const { app } = await testApp();
    for (const cursor of ["garbage", "eyJwayI6IngifQ", "%00"]) {
      const res = await app.request(`${path("t")}?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("validation_failed");
    }
  });

  it("answers If-None-Match with 304 until the thread changes", async () => {
    const { app } = await testApp();
    await seed(app, "cached", 1);
    const first = await app.request(path("cached"));
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(first.headers.get("cache-control")).toContain("s-maxage");
    const again = await app.request(path("cached"), { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    await postJson(app, path("cached"), commentBody({ body: "pending one", captchaToken: "test:0.5" }));
    expect((await app.request(path("cached"), { headers: { "if-none-match": etag! } })).status).toBe(304);
    await postJson(app, path("cached"), commentBody({ body: "new one" }));
    const changed = await app.request(path("cached"), { headers: { "if-none-match": etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("reads a page with ONE Query and answers a 304 with ONE GetItem", async () => {
    const calls: { operation: string; units: number }[] = [];
    const { store } = await freshStore({ onCapacity: (operation, units) => calls.push({ operation, units }) });
    const { app } = await testApp({ store, sites: [site({ rateLimit: { perMinute: 1000, perHour: 1000 } })] });
    await seed(app, "costly", 60);
    calls.length = 0;
    const res = await app.request(`${path("costly")}?limit=50`);
    expect((await res.json()).comments).toHaveLength(50);
    expect(calls.map((c) => c.operation)).toEqual(["readThreadPage"]);
    const readUnits = calls[0]!.units;
    calls.length = 0;
    await app.request(`${path("costly")}?limit=50`, { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(calls.map((c) => c.operation)).toEqual(["getThread"]);
    console.log(`thread page of 50: ${readUnits} RCU; 304: ${calls[0]!.units} RCU`);
  });

  it("accepts thread ids with slashes, spaces and non-Latin characters", async () => {
    const { app } = await testApp();
    for (const thread of ["2024/04/19/nato-isis", "a b", "خبر/۱۴۰۳", "?&=#"]) {
      const res = await postJson(app, path(thread), commentBody({ body: `on ${thread}` }));
      expect(res.status).toBe(201);
      const page = await (await app.request(path(thread))).json();
      expect(page.thread.threadId).toBe(thread);
      expect(page.comments).toHaveLength(1);
    }
  });
});

describe("site config and counts", () => {
  it("serves the widget's config without secrets", async () => {
    const { app } = await testApp();
    const res = await app.request("/v1/sites/demo/config");
    expect(siteConfigResponseSchema.parse(await res.json())).toEqual({
      siteId: "demo",
      captcha: { provider: "test", siteKey: null },
      limits: { maxBodyLength: 5000 },
      auth: { signIn: false, loginUrl: null, captchaForSignedIn: false },
      liveUpdateSeconds: 30,
    });
  });

  it("answers 404 site_not_found for every route of an unknown site", async () => {
    const { app } = await testApp();
    for (const route of ["/v1/sites/nope/config", "/v1/sites/nope/counts?thread=a", "/v1/sites/nope/threads/a/comments"]) {
      const res = await app.request(route);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("site_not_found");
    }
  });

  it("counts published comments for many threads in one request", async () => {
    const { app } = await testApp();
    await seed(app, "a", 2);
    await postJson(app, path("b"), commentBody({ body: "queued", captchaToken: "test:0.5" }));
    const res = await app.request("/v1/sites/demo/counts?thread=a&thread=b&thread=c");
    expect(countsSchema.parse(await res.json())).toEqual({ counts: { a: 2, b: 0, c: 0 } });
  });

  it("rejects more than 100 threads", async () => {
    const { app } = await testApp();
    const query = Array.from({ length: 101 }, (_, i) => `thread=t${i}`).join("&");
    expect((await app.request(`/v1/sites/demo/counts?${query}`)).status).toBe(400);
    const hundred = Array.from({ length: 100 }, (_, i) => `thread=t${i}`).join("&");
    expect(Object.keys((await (await app.request(`/v1/sites/demo/counts?${hundred}`)).json()).counts)).toHaveLength(100);
  });

  it("answers unknown routes with 404 not_found in the error shape", async () => {
    const { app } = await testApp();
    for (const route of ["/", "/v1", "/v1/sites/demo/nothing", "/v2/sites/demo/config"]) {
      const res = await app.request(route);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    }
  });

  it("reports health when the store answers", async () => {
    const { app } = await testApp();
    expect(await (await app.request("/healthz")).json()).toEqual({ ok: true });
  });

  it("publishes an OpenAPI document generated from the schemas", async () => {
    const { app } = await testApp();
    const doc = await (await app.request("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    const post = doc.paths["/v1/sites/{siteId}/threads/{threadId}/comments"].post;
    expect(post.requestBody.content["application/json"].schema.properties).toHaveProperty("captchaToken");
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["201", "202", "400", "403", "404", "409", "413", "422", "429", "503"]));
  });
});
