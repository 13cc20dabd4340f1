import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createHasher } from "@comments/api";
import { importComments, ImportInterruptedError, interruptedReport, readSource } from "@comments/migrate";
import { createClients, createStore } from "@comments/store";
import { expectedCounts, writeWxr } from "./fixtures/import/generate.ts";
import { startDynamoFaultProxy, type DynamoFault } from "./support/dynamo-fault-proxy.ts";
import { dynamoEndpoint, freshStore, testIpHashKey } from "./support/harness.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "comments-cutoff-"));
const hasher = createHasher(testIpHashKey);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run import -- …` as a person types it. */
function npmImport(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "import", "--", ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function tableExists(tableName: string): Promise<boolean> {
  const { client } = createClients({ endpoint: dynamoEndpoint() });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") return false;
    throw error;
  } finally {
    client.destroy();
  }
}

describe("a cut-off export", () => {
  it("imports nothing: the whole file is checked before the store is touched, and the message says where it ends", { timeout: 240_000 }, async () => {
    const file = join(dir, "cut-off.xml");
    const size = writeWxr(file, { posts: 400, commentsPerPost: 10 });
    truncateSync(file, size - 5 * 1024); // a download that stopped 5 KB early
    const tableName = `never-created-${process.pid}-${Date.now()}`;

    const result = await npmImport(["wordpress", "--site", "demo", file], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`Error: Not well-formed XML: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: `));
    expect(result.stderr).toContain(`checking ${file}`);
    expect(result.stderr).not.toContain("importing");
    expect(result.stderr).not.toContain("written");
    expect(result.stdout).not.toContain("Imported");
    // `import` creates a missing table: that it does not exist proves the store was never used.
    expect(await tableExists(tableName)).toBe(false);
  });
});

describe("Ctrl-C in the middle of an import", () => {
  it("stops at the next record, says what was written with every count right, and the same command finishes", { timeout: 300_000 }, async () => {
    const shape = { posts: 100, commentsPerPost: 10 };
    const file = join(dir, "interrupted.xml");
    writeWxr(file, shape);
    const { tableName, clients } = await freshStore();
    const env = { ...process.env, DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey };
    // The command itself (no npm or tsx process in between), so the signal reaches it as a terminal's Ctrl-C would.
    const child = spawn(process.execPath, ["--import", "tsx", "packages/migrate/src/cli.ts", "import", "wordpress", "--site", "demo", file], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let interrupted = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && stderr.includes("importing ")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));

    expect(code).toBe(1);
    expect(stderr).toContain("Error: Interrupted (Ctrl-C).");
    const written = /(\d+) comments? (?:was|were) written/.exec(stderr);
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.comments).toHaveLength(written ? Number(written[1]) : 0);
    expect(stored.comments.length).toBeLessThan(shape.posts * shape.commentsPerPost);
    expect(stored.problems).toEqual([]);
    expect(stderr).toContain("The comment counts of the threads written to are up to date.");
    expect(stderr).toContain("Run the same command again to finish");

    const rerun = await npmImport(["wordpress", "--site", "demo", file], { DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: tableName, IP_HASH_KEY: testIpHashKey });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`already present (earlier run): ${stored.comments.length}`);
    const after = await checkStoredComments(clients.documentClient, tableName);
    expect(after.problems).toEqual([]);
    expect(after.comments).toHaveLength(shape.posts * shape.commentsPerPost);
  });
});

describe("a store that fails in the middle of an import", () => {
  const shape = { posts: 40, commentsPerPost: 10 };
  const total = shape.posts * shape.commentsPerPost;
  const file = join(dir, "forty-posts.xml");
  writeWxr(file, shape);

  /** The store behind a proxy that answers chosen calls with DynamoDB's throttling error; the SDK does not retry. */
  type Decide = (operation: string, index: number, call: { body: Record<string, unknown> }) => DynamoFault;

  async function storeBehindProxy(tableName: string, decide: Decide) {
    const proxy = await startDynamoFaultProxy(dynamoEndpoint(), (operation, index, call) => decide(operation, index, call));
    const clients = createClients({ endpoint: proxy.endpoint, maxAttempts: 1 });
    return {
      store: createStore(clients.documentClient, tableName),
      close: async () => {
        clients.client.destroy();
        await proxy.close();
      },
    };
  }

  async function interruptedImport(tableName: string, decide: Decide): Promise<ImportInterruptedError> {
    const failing = await storeBehindProxy(tableName, decide);
    try {
      const outcome = await importComments(readSource("wordpress", file), { store: failing.store, siteId: "demo", hasher }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(ImportInterruptedError);
      return outcome as ImportInterruptedError;
    } finally {
      await failing.close();
    }
  }

  it("says exactly what it wrote, leaves every thread's count matching what it shows, and the same import finishes the job", async () => {
    const { store, tableName, clients } = await freshStore();
    // Six batch writes of comments go through; every later one is refused (the thread pages built
    // from what was written still go through, so every thread shows what it counts).
    let commentBatches = 0;
    const writesComments = (body: Record<string, unknown>) => {
      const text = JSON.stringify(body);
      return text.includes('"type":{"S":"comment"}') && !text.includes('"type":{"S":"pageRoot"}');
    };
    const error = await interruptedImport(tableName, (operation, _index, call) =>
      operation === "BatchWriteItem" && writesComments(call.body) && ++commentBatches > 6 ? { kind: "throttle" } : { kind: "forward" },
    );

    const { imported } = error.summary;
    const written = imported.published + imported.pending + imported.spam;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(total);
    expect(error.outcome).toEqual({ uncertain: 0, countersLeft: 0 });
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]); // among them: every thread's commentCount equals its published comments
    expect(stored.comments).toHaveLength(written);
    expect(stored.comments.filter((c) => c.status === "published")).toHaveLength(imported.published);
    expect(stored.comments.filter((c) => c.status === "pending")).toHaveLength(imported.pending);
    expect(stored.comments.filter((c) => c.status === "spam")).toHaveLength(imported.spam);

    const report = interruptedReport(error);
    expect(report).toContain(`${written} comments were written (published ${imported.published}, pending ${imported.pending}, spam ${imported.spam}).`);
    expect(report).toContain("The comment counts of the threads written to are up to date.");
    expect(report).toContain("Run the same command again to finish");

    const rerun = await importComments(readSource("wordpress", file), { store, siteId: "demo", hasher });
    expect(rerun.alreadyPresent).toBe(written);
    const expected = expectedCounts(shape);
    expect(rerun.imported.published + imported.published).toBe(expected.published);
    expect(rerun.imported.pending + imported.pending).toBe(expected.pending);
    expect(rerun.imported.spam + imported.spam).toBe(expected.spam);
    const after = await checkStoredComments(clients.documentClient, tableName);
    expect(after.problems).toEqual([]);
    expect(after.comments).toHaveLength(total);
  });

  it("when the store stays down, says which counts are left, and the same import puts them right", async () => {
    const { store, tableName, clients } = await freshStore();
    let down = false;
    const error = await interruptedImport(tableName, (operation, index) => {
      if (operation === "BatchWriteItem" && index >= 4) down = true;
      return down ? { kind: "throttle" } : { kind: "forward" };
    });

    const { imported } = error.summary;
    const written = imported.published + imported.pending + imported.spam;
    expect(written).toBe(100);
    expect(error.outcome.countersLeft).toBeGreaterThan(0);
    const report = interruptedReport(error);
    expect(report).toContain("100 comments were written");
    expect(report).toMatch(/The comment counts of \d+ threads? could not be updated yet \(the store still failed\)\./);
    expect((await checkStoredComments(clients.documentClient, tableName)).comments).toHaveLength(100);

    const rerun = await importComments(readSource("wordpress", file), { store, siteId: "demo", hasher });
    expect(rerun.alreadyPresent).toBe(100);
    const after = await checkStoredComments(clients.documentClient, tableName);
    expect(after.problems).toEqual([]);
    expect(after.comments).toHaveLength(total);
  });
});
