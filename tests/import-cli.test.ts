import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { threadPageSchema } from "@comments/core";
import { startLocalServer } from "@comments/local";
import { runCli } from "@comments/migrate";
import { dynamoEndpoint, freshStore, testApp, testIpHashKey } from "./support/harness.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const wordpress = fileURLToPath(new URL("./fixtures/import/wordpress.xml", import.meta.url));
const disqus = fileURLToPath(new URL("./fixtures/import/disqus.xml", import.meta.url));
const dataDirs: string[] = [];
/** Each `npm run` starts npm, tsx and Node (and for DATA_DIR the embedded store): on a busy machine that alone takes many seconds. */
const commandTimeout = { timeout: 300_000 };

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** `npm run <script> -- …` as a person types it. */
function npmRun(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const fullEnv: Record<string, string | undefined> = { ...process.env, DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, IP_HASH_KEY: undefined, DATA_DIR: undefined, ...env };
    const child = spawn("npm", ["run", script, "--", ...args], { cwd: root, env: fullEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function threadPage(app: { request: (path: string) => Response | Promise<Response> }, threadId: string) {
  return threadPageSchema.parse(await (await app.request(`/v1/sites/demo/threads/${encodeURIComponent(threadId)}/comments`)).json());
}

describe("npm run import against DYNAMODB_ENDPOINT", () => {
  it("imports a WordPress export with a progress bar on stderr and a summary on stdout, and a second run adds nothing", commandTimeout, async () => {
    const { store, tableName } = await freshStore();
    const env = { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey };
    const first = await npmRun("import", ["wordpress", "--site", "demo", wordpress], env);
    expect(first.stderr).toMatch(/importing .*wordpress\.xml\s+\[#{24}\] 100%\s+\d+\.\d KB\/\d+\.\d KB/);
    expect(first.stderr).toContain("comments 9 (published 7, pending 1, spam 1)");
    expect(first.stdout).toContain('Imported ' + wordpress + ' into site "demo"');
    expect(first.stdout).toContain("threads: 2\ncomments imported: 9 (published 7, pending 1, spam 1)\nalready present (earlier run): 0");
    expect(first.stdout).toContain('skipped: 3 (in the trash: 1, pingback: 1, comment type "order_note": 1)');
    expect(first.code).toBe(0);

    const second = await npmRun("import", ["wordpress", "--site", "demo", wordpress], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("comments imported: 0 (published 0, pending 0, spam 0)\nalready present (earlier run): 9");

    const { app } = await testApp({ store });
    expect((await threadPage(app, "/2024/03/hello-world/")).thread.commentCount).toBe(6);
  });

  it("imports a Disqus export, with --thread-from choosing the thread ids", commandTimeout, async () => {
    const { store, tableName } = await freshStore();
    const result = await npmRun("import", ["disqus", "--site", "demo", "--thread-from", "path", disqus], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("comments imported: 10 (published 8, pending 1, spam 1)");
    expect(result.stdout).toContain("skipped: 2 (deleted: 1, thread deleted: 1)");
    const { app } = await testApp({ store });
    expect((await threadPage(app, "/articles/1/")).comments).toHaveLength(7);
  });

  it("reads without writing on --dry-run", commandTimeout, async () => {
    const { store, tableName } = await freshStore();
    const result = await npmRun("import", ["disqus", "--site", "demo", "--dry-run", disqus], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Dry run (nothing written)");
    expect(result.stdout).toContain("comments to import: 10");
    const { app } = await testApp({ store });
    expect((await threadPage(app, "article-1")).comments).toEqual([]);
  });

  it("explains wrong usage (exit 2) and unreadable input (exit 1) in one message", async () => {
    const { tableName } = await freshStore();
    const env = { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey };
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      let stdout = "";
      let stderr = "";
      const code = await runCli(args, {
        env: { ...env, ...extra },
        stdout: Object.assign(new PassThrough(), { write: (text: string) => ((stdout += text), true) }),
        stderr: { write: (text: string) => (stderr += text) },
      });
      return { code, stdout, stderr };
    };
    const noFormat = await run(["import", "--site", "demo", wordpress]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain("Name the format: wordpress, disqus or json.");
    expect(noFormat.stderr).toContain("Usage:");
    const badOption = await run(["import", "wordpress", "--site", "demo", "--thread-from", "title", wordpress]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("--thread-from must be one of path, slug, id");
    const unknownOption = await run(["export", "--site", "demo", "--format", "xml"]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--format'");
    const missing = await run(["import", "wordpress", "--site", "demo", "/nonexistent/export.xml"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Cannot read /nonexistent/export.xml: no such file");
    const wrongKind = await run(["import", "disqus", "--site", "demo", wordpress]);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain("is not a Disqus export (its root element is <rss>, not <disqus>)");
    const noTable = await run(["export", "--site", "demo"], { TABLE_NAME: "no-such-table" });
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toContain('There is no table "no-such-table"');
    const shortKey = await run(["export", "--site", "demo"], { IP_HASH_KEY: "short" });
    expect(shortKey.code).toBe(1);
    expect(shortKey.stderr).toContain("The IP hash key must be at least 16 characters long");
  });
});

describe("npm run import on the local server's embedded store (DATA_DIR)", () => {
  it("writes where npm start reads, shares a running npm start's store, and refuses a store held without being advertised", commandTimeout, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "comments-data-"));
    dataDirs.push(dataDir);
    const imported = await npmRun("import", ["wordpress", "--site", "demo", wordpress], { DATA_DIR: dataDir });
    expect(imported.stderr).not.toContain("Error");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("comments imported: 9");
    expect(existsSync(join(dataDir, "ip-hash.key"))).toBe(true);

    const server = await startLocalServer({ dataDir, port: 0, env: {}, moderatorKey: "test-moderator-key" });
    try {
      const page = threadPageSchema.parse(await (await fetch(`http://127.0.0.1:${server.port}/v1/sites/demo/threads/${encodeURIComponent("/2024/03/hello-world/")}/comments`)).json());
      expect(page.thread.commentCount).toBe(6);
      // Imported authors hash like the server's own: their email finds them.
      const exported = await fetch(`http://127.0.0.1:${server.port}/v1/mod/sites/demo/data-requests/export`, {
        method: "POST",
        headers: { authorization: "Bearer test-moderator-key", "content-type": "application/json" },
        body: JSON.stringify({ email: "ann@example.com" }),
      });
      expect(((await exported.json()) as { comments: unknown[] }).comments).toHaveLength(2);

      // While npm start runs, the command shares its store (the one local-store opener's policy).
      const shared = await npmRun("import", ["wordpress", "--site", "demo", wordpress], { DATA_DIR: dataDir });
      expect(shared.code).toBe(0);
      expect(shared.stdout).toContain(`at ${server.endpoint}`);
      expect(shared.stdout).toContain("already present (earlier run): 9");

      // Pointing at the running store works too.
      const viaEndpoint = await npmRun("import", ["wordpress", "--site", "demo", wordpress], { DATA_DIR: dataDir, DYNAMODB_ENDPOINT: server.endpoint });
      expect(viaEndpoint.code).toBe(0);
      expect(viaEndpoint.stdout).toContain("already present (earlier run): 9");

      // A process that holds the store's files without advertising them is never joined by a second store.
      rmSync(join(dataDir, "dynamodb.endpoint"));
      const busy = await npmRun("import", ["wordpress", "--site", "demo", wordpress], { DATA_DIR: dataDir });
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/The local store in .* is in use by process \d+/);
      expect(busy.stderr).toContain("DYNAMODB_ENDPOINT");
    } finally {
      await server.stop();
    }
  });
});
