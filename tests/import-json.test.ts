import { spawn } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadPageSchema } from "@comments/core";
import { createHasher } from "@comments/api";
import { exportSite, importComments, readDisqus, readJsonExport, readWordpress } from "@comments/migrate";
import { asModerator, commentBody, dynamoEndpoint, freshStore, postJson, testApp, testIpHashKey } from "./support/harness.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const hasher = createHasher(testIpHashKey);
const fixtures = fileURLToPath(new URL("./fixtures/import/", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "comments-json-"));
/** Each `npm run` starts npm, tsx and Node (and for DATA_DIR the embedded store): on a busy machine that alone takes many seconds. */
const commandTimeout = { timeout: 300_000 };

type Fresh = Awaited<ReturnType<typeof freshStore>>;

async function exportText(store: Fresh["store"]): Promise<string> {
  let text = "";
  await exportSite({ store, siteId: "demo", write: (chunk) => void (text += chunk), now: new Date("2025-01-01T00:00:00Z") });
  return text;
}

async function importText(store: Fresh["store"], text: string, name: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return importComments(readJsonExport(file), { store, siteId: "demo", hasher });
}

/** Runs an npm script as a person would, stdout to a file (`npm run export -- … > site.json`). */
function npmRun(args: string[], env: Record<string, string>, stdoutFile?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = stdoutFile ? openSync(stdoutFile, "w") : "pipe";
    const child = spawn("npm", ["run", ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (typeof out === "number") closeSync(out);
      resolve({ code, stdout, stderr });
    });
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the site export", () => {
  let source: Fresh;
  let text: string;

  beforeAll(async () => {
    source = await freshStore();
    const { app } = await testApp({ store: source.store });
    await importComments(readWordpress(join(fixtures, "wordpress.xml")), { store: source.store, siteId: "demo", hasher });
    await importComments(readDisqus(join(fixtures, "disqus.xml")), { store: source.store, siteId: "demo", hasher });
    // Live comments too: one published, one held and then approved, one erased on request.
    await postJson(app, "/v1/sites/demo/threads/live/comments", commentBody({ author: { name: "Live", email: "live@example.com" }, body: "Posted *live*." }));
    const held = await (await postJson(app, "/v1/sites/demo/threads/live/comments", commentBody({ body: "Held first.", captchaToken: "test:0.5" }))).json();
    await postJson(app, `/v1/mod/sites/demo/threads/live/comments/${held.comment.id}/decision`, { action: "approve", note: "fine" }, asModerator());
    await postJson(app, "/v1/mod/sites/demo/data-requests/erase", { email: "live@example.com" }, asModerator());
    text = await exportText(source.store);
  });

  it("holds every thread and every comment with its status, one thread per line", () => {
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe('{"format":"comments-export","version":1,"siteId":"demo","exportedAt":"2025-01-01T00:00:00.000Z","threads":[');
    expect(lines.at(-1)).toBe("]}");
    const document = JSON.parse(text) as { threads: { threadId: string; commentCount: number; comments: { status: string; erased?: boolean; author: { email: string | null } }[] }[] };
    expect(document.threads.map((t) => t.threadId)).toEqual([
      "/2024/03/%d8%b3%d9%84%d8%a7%d9%85/",
      "/2024/03/hello-world/",
      "/fa/%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4/",
      "article-1",
      "live",
    ]);
    expect(lines).toHaveLength(document.threads.length + 2);
    const statuses = document.threads.flatMap((t) => t.comments.map((c) => c.status)).sort();
    expect(statuses.filter((s) => s === "published")).toHaveLength(17);
    expect(statuses.filter((s) => s === "pending")).toHaveLength(2);
    expect(statuses.filter((s) => s === "spam")).toHaveLength(2);
    const live = document.threads.find((t) => t.threadId === "live")!;
    expect(live.commentCount).toBe(2);
    expect(live.comments[0]).toMatchObject({ erased: true, author: { email: null } });
  });

  it("reads back into an empty store exactly: same threads, comments, statuses, ids and pages", async () => {
    const copy = await freshStore();
    const summary = await importText(copy.store, text, "site.json");
    expect(summary).toMatchObject({ threads: 5, imported: { published: 17, pending: 2, rejected: 0, spam: 2 }, skipped: {}, orphanedReplies: 0 });
    expect(await exportText(copy.store)).toBe(text);

    const { app: original } = await testApp({ store: source.store });
    const { app: restored } = await testApp({ store: copy.store });
    for (const thread of ["/2024/03/hello-world/", "article-1", "live"]) {
      const path = `/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments`;
      const [a, b] = await Promise.all([original.request(path), restored.request(path)]);
      expect(threadPageSchema.parse(await b.json())).toEqual(threadPageSchema.parse(await a.json()));
    }
    const queue = async (app: typeof original) => (await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()) as unknown;
    expect(await queue(restored)).toEqual(await queue(original));
    expect((await checkStoredComments(copy.clients.documentClient, copy.tableName)).problems).toEqual([]);
  });

  it("imports into the same store as a no-op", async () => {
    const summary = await importText(source.store, text, "same.json");
    expect(summary).toMatchObject({ imported: { published: 0, pending: 0, rejected: 0, spam: 0 }, alreadyPresent: 21 });
    expect(await exportText(source.store)).toBe(text);
  });

  it("round-trips through the command line: npm run export > site.json, npm run import -- json", commandTimeout, async () => {
    const file = join(dir, "cli-site.json");
    const exported = await npmRun(["export", "--", "--site", "demo"], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: source.tableName, IP_HASH_KEY: testIpHashKey }, file);
    expect(exported.stderr).toContain("Exported 5 threads and 21 comments");
    expect(exported.code).toBe(0);

    const copy = await freshStore();
    const imported = await npmRun(["import", "--", "json", "--site", "demo", file], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: copy.tableName, IP_HASH_KEY: testIpHashKey });
    expect(imported.stderr).toContain("100%");
    expect(imported.stdout).toContain("comments imported: 21 (published 17, pending 2, spam 2)");
    expect(imported.code).toBe(0);
    const again = (await exportText(copy.store)).split("\n").slice(1);
    expect(again).toEqual(text.split("\n").slice(1));
  });
});

describe("reading a JSON file that is not a good export", () => {
  it("skips a bad record with its reason and imports the rest", async () => {
    const { store } = await freshStore();
    const good = { id: "01HQ0000000000000000000001", parentId: null, status: "published", author: { name: "Ok" }, body: "fine", createdAt: "2024-01-01T00:00:00Z" };
    const bad = { ...good, id: "not-an-id" };
    const text = `{"format":"comments-export","version":1,"threads":[\n${JSON.stringify({ threadId: "t", comments: [good, bad] })}\n]}\n`;
    const summary = await importText(store, text, "partly-bad.json");
    expect(summary.imported.published).toBe(1);
    expect(summary.skipped).toEqual({ "invalid record (id: must be a comment id (26-character ULID))": 1 });
  });

  it("reads a hand-formatted export whole", async () => {
    const { store } = await freshStore();
    const document = {
      format: "comments-export",
      version: 1,
      threads: [{ threadId: "pretty", comments: [{ id: "01HQ0000000000000000000002", parentId: null, status: "pending", author: { name: "P", email: "p@example.com" }, body: "Hello", createdAt: "2024-01-02T00:00:00Z" }] }],
    };
    const summary = await importText(store, JSON.stringify(document, null, 2), "pretty.json");
    expect(summary.imported.pending).toBe(1);
  });

  it("says what is wrong with a file of another kind, an unknown version or a cut-off export", async () => {
    const { store } = await freshStore();
    await expect(importText(store, "<rss></rss>", "a.json")).rejects.toThrow(/is not a JSON site export \(line 1 does not start with "\{"\)/);
    await expect(importText(store, '{"format":"other","version":1,"threads":[]}', "b.json")).rejects.toThrow(/"format" must be "comments-export"/);
    await expect(importText(store, '{"format":"comments-export","version":2,"threads":[]}', "c.json")).rejects.toThrow(/"version" must be 1/);
    await expect(importText(store, '{"format":"comments-export","version":1,"threads":[\n{"threadId":"t","comments":[]},\n', "d.json")).rejects.toThrow(/ends early .*cut off/);
    await expect(importText(store, "", "e.json")).rejects.toThrow(/is empty/);
  });

  it("fails on the command line with one clear message and exit code 1", commandTimeout, async () => {
    const { tableName } = await freshStore();
    const file = join(dir, "broken.json");
    writeFileSync(file, '{"format":"comments-export","version":1,"threads":[\n{"threadId":"t","comments":[}\n]}\n');
    const result = await npmRun(["import", "--", "json", "--site", "demo", file], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: .*broken\.json line 2: not valid JSON/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readFileSync(file, "utf8")).toContain("comments-export");
  });
});
