import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { newModeratorKey } from "@comments/api";
import { startLocalServer, type LocalServer } from "@comments/local";
import { startDynamoDbLocal, tablesVisibleTo, type DynamoDbLocal } from "@comments/local/store";
import { isLoopbackHost } from "@comments/local/store";
import { credentialsFile, readStoreCredentials } from "@comments/local/store";
import { commentBody } from "./support/harness.ts";

let server: LocalServer | null = null;
let oldStore: DynamoDbLocal | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await server?.stop();
  server = null;
  await oldStore?.stop();
  oldStore = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A DynamoDB client like anyone could make: made-up credentials, any endpoint. */
function strangerClient(endpoint: string) {
  return new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIAMADEUP0000000000", secretAccessKey: "made-up" }, maxAttempts: 1 });
}

/** The first IPv4 address of this machine that is not loopback, if it has one. */
const nonLoopbackAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;

/** Runs `npm start`'s entry in a child process until it exits or prints its banner. */
function runStart(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/local/src/main.ts"], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (/Press Ctrl-C to stop\.|Comment service \(production\)/.test(stdout)) resolve();
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stdout}${stderr}`)));
  });
  started.catch(() => undefined);
  return { child, exited, started, output: () => ({ stdout, stderr }) };
}

describe("the embedded store is private to the installation", () => {
  it("keeps its data under credentials created on first start (mode 0600) that a local client without them cannot use", async () => {
    const dataDir = tempDir("comments-private-");
    server = await startLocalServer({ port: 0, dataDir, env: {} });
    expect((await post(`http://127.0.0.1:${server.port}/v1/sites/demo/threads/private/comments`, commentBody())).status).toBe(201);

    const file = credentialsFile(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials = readStoreCredentials(dataDir)!;
    expect(credentials.accessKeyId).toMatch(/^[A-Z0-9]{30,}$/);
    expect(await tablesVisibleTo(server.endpoint, credentials.accessKeyId)).toEqual(["comments"]);

    const stranger = strangerClient(server.endpoint);
    try {
      expect((await stranger.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      await expect(stranger.send(new ScanCommand({ TableName: "comments" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    } finally {
      stranger.destroy();
    }
    // The shared pair every earlier release used sees nothing either.
    expect(await tablesVisibleTo(server.endpoint, "local")).toEqual([]);

    // The same credentials on the next start: the comment is still there.
    await server.stop();
    server = await startLocalServer({ port: 0, dataDir, env: {} });
    expect(readStoreCredentials(dataDir)).toEqual(credentials);
    const page = await (await fetch(`http://127.0.0.1:${server.port}/v1/sites/demo/threads/private/comments`)).json();
    expect(page.thread.commentCount).toBe(1);
  }, 120_000);

  it.skipIf(!nonLoopbackAddress)(
    "shows a client with made-up credentials on this machine's network address no table (skipped only on a machine without a non-loopback IPv4 address)",
    async () => {
      const dataDir = tempDir("comments-network-");
      server = await startLocalServer({ port: 0, dataDir, env: {} });
      const fromNetwork = server.endpoint.replace("127.0.0.1", nonLoopbackAddress!);
      const stranger = strangerClient(fromNetwork);
      try {
        // The store answers on that address (it has no bind option), but holds nothing for this client.
        expect((await stranger.send(new ListTablesCommand({}))).TableNames).toEqual([]);
        await expect(stranger.send(new ScanCommand({ TableName: "comments" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
      } finally {
        stranger.destroy();
      }
    },
    120_000,
  );

  it("gives web pages no CORS permission to call the store", async () => {
    server = await startLocalServer({ port: 0, dataDir: tempDir("comments-cors-"), env: {} });
    const preflight = await fetch(server.endpoint, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-amz-target,authorization" },
    });
    const allowed = preflight.headers.get("access-control-allow-origin");
    expect(allowed === null || (allowed !== "*" && allowed !== "https://evil.example")).toBe(true);
  }, 120_000);
});

describe("a data folder of an earlier release (one shared database)", () => {
  const roomySites = [{ id: "demo", origins: [], rateLimit: { perMinute: 1000, perHour: 10_000 } }];
  it("is moved to the installation's credentials on the first start, keeping every comment and moderator key", async () => {
    const dataDir = tempDir("comments-old-");
    const storeDir = join(dataDir, "dynamodb");
    // The earlier release: DynamoDB Local with -sharedDb and the fixed "local" credentials.
    oldStore = await startDynamoDbLocal({ dataDir: storeDir });
    const old = await startLocalServer({ port: 0, dataDir, dynamoEndpoint: oldStore.endpoint, env: {}, sites: roomySites });
    const thread = `http://127.0.0.1:${old.port}/v1/sites/demo/threads/old-thread/comments`;
    for (let i = 0; i < 30; i++) expect((await post(thread, commentBody({ body: `comment ${i}` }))).status).toBe(201);
    expect((await post(thread, commentBody({ body: "waits for a moderator", captchaToken: "test:0.5" }))).status).toBe(202);
    const { key, record } = newModeratorKey("alice", ["demo"], new Date());
    await old.store.putModeratorKey(record);
    const before = await (await fetch(`${thread}?limit=100`)).json();
    await old.stop();
    await oldStore.stop();
    oldStore = null;
    expect(existsSync(join(storeDir, "shared-local-instance.db"))).toBe(true);

    server = await startLocalServer({ port: 0, dataDir, env: {}, sites: roomySites });
    expect(server.migratedSharedDatabase).toBe(true);
    expect(existsSync(join(storeDir, "shared-local-instance.db"))).toBe(false);
    const base = `http://127.0.0.1:${server.port}`;
    const after = await (await fetch(`${base}/v1/sites/demo/threads/old-thread/comments?limit=100`)).json();
    expect(after).toEqual(before);
    expect(after.comments).toHaveLength(30);
    const queue = await fetch(`${base}/v1/mod/sites/demo/queue`, { headers: { authorization: `Bearer ${key}` } });
    expect(queue.status).toBe(200);
    expect((await queue.json()).items.map((item: { bodyHtml: string }) => item.bodyHtml)).toEqual(["<p>waits for a moderator</p>"]);
    expect(await tablesVisibleTo(server.endpoint, "local")).toEqual([]);

    // Once: the next start finds nothing to move and the same data.
    await server.stop();
    server = await startLocalServer({ port: 0, dataDir, env: {}, sites: roomySites });
    expect(server.migratedSharedDatabase).toBe(false);
    expect((await (await fetch(`http://127.0.0.1:${server.port}/v1/sites/demo/threads/old-thread/comments?limit=100`)).json()).comments).toHaveLength(30);
  }, 600_000);
});

describe("the moderator key off loopback", () => {
  it("knows which addresses are loopback", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "128.0.0.1"]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("refuses HOST=0.0.0.0 without MODERATOR_KEY, or with a short one, before starting the store", async () => {
    await expect(startLocalServer({ port: 0, dataDir: null, env: { HOST: "0.0.0.0" } })).rejects.toThrow(/MODERATOR_KEY/);
    await expect(startLocalServer({ port: 0, dataDir: null, env: { HOST: "0.0.0.0", MODERATOR_KEY: "dev-moderator-key" } })).rejects.toThrow(/MODERATOR_KEY is shorter than 24/);
  });

  it("npm start with HOST=0.0.0.0 and no MODERATOR_KEY exits non-zero with one line naming MODERATOR_KEY", async () => {
    const dataDir = tempDir("comments-host-");
    const { exited, output } = runStart({ HOST: "0.0.0.0", DATA_DIR: dataDir, MODERATOR_KEY: "" });
    expect(await exited).not.toBe(0);
    const lines = output().stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("MODERATOR_KEY");
    // Nothing was started or written: the store never ran.
    expect(existsSync(join(dataDir, "dynamodb"))).toBe(false);
  }, 60_000);

  it.skipIf(!nonLoopbackAddress)(
    "with HOST=0.0.0.0 and a long MODERATOR_KEY accepts that key from the network and refuses the dev key (skipped only without a non-loopback IPv4 address)",
    async () => {
      const key = "k".repeat(12) + "-long-enough-secret";
      const run = runStart({ HOST: "0.0.0.0", DATA_DIR: tempDir("comments-exposed-"), MODERATOR_KEY: key });
      try {
        await run.started;
        expect(run.output().stdout).toContain("Moderator key:  (from MODERATOR_KEY)");
        expect(run.output().stdout).not.toContain(key);
        const port = /localhost:(\d+)/.exec(run.output().stdout)![1];
        const me = (bearer: string) => fetch(`http://${nonLoopbackAddress}:${port}/v1/mod/me`, { headers: { authorization: `Bearer ${bearer}` } });
        expect((await me(key)).status).toBe(200);
        expect((await me("dev-moderator-key")).status).toBe(401);
      } finally {
        run.child.kill("SIGINT");
        await run.exited;
      }
    },
    120_000,
  );
});

describe("the production profile (STAGE=production)", () => {
  const sites = [{ id: "news", origins: ["https://news.example"], captcha: { provider: "turnstile" as const, secretEnv: "TURNSTILE_SECRET" } }];
  const env = { STAGE: "production", TURNSTILE_SECRET: "secret" };

  it("refuses the default key, even on loopback", async () => {
    await expect(startLocalServer({ port: 0, dataDir: null, env, sites })).rejects.toThrow(/STAGE=production and MODERATOR_KEY is not set/);
  });

  it("serves the widget, the review page and the API but no demo pages, and says in one line what it serves and where the data lives", async () => {
    const dataDir = tempDir("comments-production-");
    const sitesFile = join(dataDir, "sites.json");
    writeFileSync(sitesFile, JSON.stringify({ sites }));
    const run = runStart({ ...env, DATA_DIR: dataDir, SITES_FILE: sitesFile, MODERATOR_KEY: "a-production-key-of-32-characters" });
    try {
      await run.started;
      const lines = run.output().stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("serving sites news");
      expect(lines[0]).toContain(dataDir);
      const port = /:(\d+): API/.exec(lines[0]!)![1];
      const base = `http://127.0.0.1:${port}`;
      const demo = await fetch(`${base}/`);
      expect(demo.status).toBe(404);
      expect((await demo.json()).error.code).toBe("not_found");
      expect((await fetch(`${base}/fa`)).status).toBe(404);
      expect((await fetch(`${base}/embed.js`)).status).toBe(200);
      expect((await fetch(`${base}/moderate`)).status).toBe(200);
      expect((await fetch(`${base}/v1/sites/news/config`)).status).toBe(200);
    } finally {
      run.child.kill("SIGINT");
      await run.exited;
    }
  }, 120_000);
});

describe("command-line tools on a private store", () => {
  it("the moderator CLI creates a key in the stopped installation's store that the server then accepts", async () => {
    const dataDir = tempDir("comments-cli-private-");
    server = await startLocalServer({ port: 0, dataDir, env: {} });
    await server.stop();
    server = null;
    const { execFile } = await import("node:child_process");
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "packages/local/src/moderator-cli.ts", "create", "--site", "demo", "--name", "bob"], { env: { ...process.env, DATA_DIR: dataDir } }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    const key = /(mk_\S+)/.exec(stdout)![1]!;
    server = await startLocalServer({ port: 0, dataDir, env: {} });
    expect((await fetch(`http://127.0.0.1:${server.port}/v1/mod/sites/demo/queue`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(readFileSync(credentialsFile(dataDir), "utf8")).toContain("accessKeyId");
  }, 600_000);
});

