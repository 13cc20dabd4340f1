import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { auditPageSchema, commentRecordSchema, queuePageSchema, threadPageSchema } from "@comments/core";
import { createHasher, newModeratorKey } from "@comments/api";
import { importComments, readWordpress } from "@comments/migrate";
import { asModerator, commentBody, dynamoEndpoint, freshStore, postJson, site, testApp, testIpHashKey } from "./support/harness.ts";
import { checkStoredComments, scanTable } from "./support/stored-invariants.ts";

const exportPath = "/v1/mod/sites/demo/data-requests/export";
const erasePath = "/v1/mod/sites/demo/data-requests/erase";
const cli = fileURLToPath(new URL("../packages/migrate/src/cli.ts", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

type App = Awaited<ReturnType<typeof testApp>>["app"];

const readerCommentSchema = commentRecordSchema.extend({ body: commentRecordSchema.shape.bodyHtml });

async function post(app: App, thread: string, overrides: Record<string, unknown>, ip = "203.0.113.7") {
  const res = await postJson(app, `/v1/sites/demo/threads/${thread}/comments`, commentBody(overrides), { "x-test-ip": ip });
  expect([201, 202]).toContain(res.status);
  return (await res.json()).comment as { id: string; status: string };
}

async function readThread(app: App, thread: string, headers: Record<string, string> = {}) {
  return app.request(`/v1/sites/demo/threads/${thread}/comments`, { headers });
}

/** Runs the command line as a person would (`npm run data -- …`), against the test store. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("data requests: who may ask", () => {
  it("checks the key (401), then the site (404), then the key's sites (403)", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store, sites: [site(), { id: "other", origins: [] }] });
    const { key, record } = newModeratorKey("alice", ["other"], new Date());
    await store.putModeratorKey(record);
    for (const path of [exportPath, erasePath]) {
      expect((await postJson(app, path, { email: "a@example.com" })).status).toBe(401);
      expect((await postJson(app, path, { email: "a@example.com" }, asModerator("wrong"))).status).toBe(401);
      const unknown = await postJson(app, path.replace("/demo/", "/nope/"), { email: "a@example.com" }, asModerator(key));
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe("site_not_found");
      const forbidden = await postJson(app, path, { email: "a@example.com" }, asModerator(key));
      expect(forbidden.status).toBe(403);
      expect((await forbidden.json()).error.code).toBe("forbidden");
      expect((await postJson(app, path.replace("/demo/", "/other/"), { email: "a@example.com" }, asModerator(key))).status).toBe(200);
    }
  });

  it("answers 400 for a missing or malformed email and for a body that is not JSON", async () => {
    const { app } = await testApp();
    for (const path of [exportPath, erasePath]) {
      for (const body of [{}, { email: "" }, { email: "not-an-email" }, { email: 42 }]) {
        const res = await postJson(app, path, body, asModerator());
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: "validation_failed", fields: { email: expect.any(String) } } });
      }
      const broken = await postJson(app, path, "{nope", asModerator());
      expect(broken.status).toBe(400);
      expect((await broken.json()).error.code).toBe("invalid_json");
    }
  });

  it("refuses other origins, like every moderation route", async () => {
    const { app } = await testApp();
    const res = await postJson(app, exportPath, { email: "a@example.com" }, { ...asModerator(), origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("origin_not_allowed");
  });
});

describe("a reader's data export and erasure", () => {
  let app: App;
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fresh = await freshStore();
    ({ app } = await testApp({ store: fresh.store }));
    ids.annFirst = (await post(app, "t1", { author: { name: "Ann", email: "Ann@Example.com", url: "https://ann.example" }, body: "Ann's first words." })).id;
    ids.bobReply = (await post(app, "t1", { author: { name: "Bob", email: "bob@example.com" }, body: "Bob answers Ann.", parentId: ids.annFirst }, "203.0.113.8")).id;
    ids.annSecond = (await post(app, "t2", { author: { name: "Ann", email: "ann@example.com" }, body: "Ann on another article." })).id;
    const pending = await post(app, "t2", { author: { name: "Ann", email: "ann@example.com" }, body: "Ann, held for review.", captchaToken: "test:0.5" });
    expect(pending.status).toBe("pending");
    ids.annPending = pending.id;
    ids.annNoEmail = (await post(app, "t2", { author: { name: "Ann" }, body: "Ann without an email." })).id;
  });

  it("exports every comment posted with the email (any case), on every thread and in every status, and logs it", async () => {
    const res = await postJson(app, exportPath, { email: "  ANN@example.com " }, asModerator());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { email: string; comments: unknown[] };
    expect(body.email).toBe("ANN@example.com");
    const comments = body.comments.map((c) => readerCommentSchema.parse(c));
    expect(comments.map((c) => c.id)).toEqual([ids.annFirst, ids.annSecond, ids.annPending]);
    expect(comments.map((c) => [c.threadId, c.status, c.body])).toEqual([
      ["t1", "published", "Ann's first words."],
      ["t2", "published", "Ann on another article."],
      ["t2", "pending", "Ann, held for review."],
    ]);
    expect(comments[0]!.author).toEqual({ name: "Ann", email: "Ann@Example.com", url: "https://ann.example" });

    const audit = auditPageSchema.parse(await (await app.request("/v1/mod/sites/demo/audit", { headers: asModerator() })).json());
    expect(audit.items[0]).toMatchObject({ moderator: "dev", action: "data_export", note: "3 comments exported" });
    expect(JSON.stringify(audit)).not.toContain("ann@");
  });

  it("erases them into placeholders: replies stay readable, the count stays, the ETag changes, the queue forgets", async () => {
    const before = await readThread(app, "t1");
    const etag = before.headers.get("etag")!;
    const countBefore = threadPageSchema.parse(await before.json()).thread.commentCount;

    const res = await postJson(app, erasePath, { email: "ann@example.com" }, asModerator());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: 3 });

    const after = await readThread(app, "t1", { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    const page = threadPageSchema.parse(await after.json());
    expect(page.thread.commentCount).toBe(countBefore);
    const [placeholder, reply] = page.comments;
    expect(placeholder).toMatchObject({ id: ids.annFirst, parentId: null, author: { name: "[deleted]", url: null }, bodyHtml: "<p><em>[deleted]</em></p>" });
    expect(reply).toMatchObject({ id: ids.bobReply, parentId: ids.annFirst, author: { name: "Bob" } });

    const queue = queuePageSchema.parse(await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json());
    expect(queue.items.map((c) => c.id)).not.toContain(ids.annPending);
  });

  it("leaves no personal data of the reader in the table, and logs each erased comment", async () => {
    const items = await scanTable(fresh.clients.documentClient, fresh.tableName);
    const text = JSON.stringify(items).toLowerCase();
    expect(text).not.toContain("ann@example.com");
    expect(text).not.toContain("ann.example");
    expect(text).not.toContain("ann's first words");
    expect(text).not.toContain("held for review");
    const authorHash = createHasher(testIpHashKey).author({ email: "ann@example.com", name: "" }, "");
    expect(text).not.toContain(authorHash);
    // The comment she posted without an email is not hers by email: it stays.
    expect(text).toContain("ann without an email");
    const stored = await checkStoredComments(fresh.clients.documentClient, fresh.tableName);
    expect(stored.problems).toEqual([]);

    const audit = auditPageSchema.parse(await (await app.request("/v1/mod/sites/demo/audit", { headers: asModerator() })).json());
    const erasures = audit.items.filter((entry) => entry.action === "erase");
    expect(erasures.map((e) => e.commentId).sort()).toEqual([ids.annFirst, ids.annSecond, ids.annPending].sort());
    expect(erasures.every((e) => e.moderator === "dev" && e.fromStatus === e.toStatus)).toBe(true);
  });

  it("finds nothing more to export or erase afterwards", async () => {
    const exported = await postJson(app, exportPath, { email: "ann@example.com" }, asModerator());
    expect((await exported.json()).comments).toEqual([]);
    const erased = await postJson(app, erasePath, { email: "ann@example.com" }, asModerator());
    expect(await erased.json()).toEqual({ erased: 0 });
  });
});

describe("erasing a banned reader", () => {
  it("keeps the ban working but no longer names the reader in it", async () => {
    const { app } = await testApp();
    const comment = await post(app, "t", { author: { name: "Troll", email: "troll@example.com" }, body: "Trolling." });
    const ban = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "t", commentId: comment.id, reason: "abuse" }, asModerator());
    expect(ban.status).toBe(201);
    expect((await postJson(app, erasePath, { email: "troll@example.com" }, asModerator())).status).toBe(200);
    const bans = (await (await app.request("/v1/mod/sites/demo/bans", { headers: asModerator() })).json()) as { items: { authorName?: string }[] };
    expect(bans.items).toHaveLength(1);
    expect(JSON.stringify(bans)).not.toContain("Troll");
    const again = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody({ author: { name: "Troll", email: "troll@example.com" } }), { "x-test-ip": "198.51.100.9" });
    expect(again.status).toBe(403);
    expect((await again.json()).error.code).toBe("author_banned");
  });
});

describe("banning after an erasure", () => {
  it("refuses to ban the author of an erased comment, who can no longer be identified", async () => {
    const { app } = await testApp();
    const comment = await post(app, "erased-ban", { author: { name: "Gone", email: "gone@example.com" }, body: "bye" });
    expect((await postJson(app, erasePath, { email: "gone@example.com" }, asModerator())).status).toBe(200);
    const res = await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "erased-ban", commentId: comment.id, reason: "x" }, asModerator());
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("author_erased");
  });
});

describe("imported comments and data requests", () => {
  it("finds a reader's imported comments by email, as the API hashes it", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store });
    await importComments(readWordpress(fileURLToPath(new URL("./fixtures/import/wordpress.xml", import.meta.url))), {
      store,
      siteId: "demo",
      hasher: createHasher(testIpHashKey),
    });
    const res = await postJson(app, exportPath, { email: "ann@example.com" }, asModerator());
    const comments = ((await res.json()) as { comments: { threadId: string }[] }).comments;
    expect(comments.map((c) => c.threadId)).toEqual(["/2024/03/hello-world/", "/2024/03/%d8%b3%d9%84%d8%a7%d9%85/"]);
  });
});

describe("data requests from the command line", () => {
  it("exports and erases a reader's comments with npm run data against DYNAMODB_ENDPOINT", async () => {
    const fresh = await freshStore();
    const { app } = await testApp({ store: fresh.store });
    const first = await post(app, "cli", { author: { name: "Cleo", email: "cleo@example.com" }, body: "Cleo was here." });
    await post(app, "cli", { author: { name: "Dora", email: "dora@example.com" }, body: "Dora replies.", parentId: first.id }, "203.0.113.9");
    const env = { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: fresh.tableName, IP_HASH_KEY: testIpHashKey };

    const exported = await runCli(["data", "export", "--site", "demo", "--email", "cleo@example.com"], env);
    expect(exported.stderr).toContain("Exported 1 comments of cleo@example.com");
    expect(exported.code).toBe(0);
    const body = JSON.parse(exported.stdout) as { comments: { id: string; body: string }[] };
    expect(body.comments.map((c) => [c.id, c.body])).toEqual([[first.id, "Cleo was here."]]);

    const erased = await runCli(["data", "erase", "--site", "demo", "--email", "cleo@example.com"], env);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain("Erased 1 comments of cleo@example.com");
    const page = threadPageSchema.parse(await (await readThread(app, "cli")).json());
    expect(page.comments.map((c) => [c.author.name, c.parentId])).toEqual([
      ["[deleted]", null],
      ["Dora", first.id],
    ]);
    const audit = auditPageSchema.parse(await (await app.request("/v1/mod/sites/demo/audit", { headers: asModerator() })).json());
    expect(audit.items.map((e) => e.action)).toEqual(["erase", "data_export"]);
    expect(audit.items[0]!.moderator).toMatch(/^cli:/);
  });

  it("refuses a bad email and an unknown site with a clear message", async () => {
    const fresh = await freshStore();
    const env = { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: fresh.tableName, IP_HASH_KEY: testIpHashKey };
    const badEmail = await runCli(["data", "erase", "--site", "demo", "--email", "nobody"], env);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toContain("--email must be an email address");
    const unknownSite = await runCli(["data", "export", "--site", "nope", "--email", "a@example.com"], env);
    expect(unknownSite.code).toBe(1);
    expect(unknownSite.stderr).toContain('Unknown site "nope" (configured: demo)');
  });
});
