import { afterEach, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startLocalServer, type LocalServer } from "@comments/local";
import { asModerator, commentBody, startApiServer } from "./support/harness.ts";

const run = promisify(execFile);
let server: LocalServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await server?.stop();
  server = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("the local server", () => {
  it("serves the demo site with its embedded store and keeps comments across restarts", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "comments-data-"));
    dirs.push(dataDir);
    server = await startLocalServer({ port: 0, dataDir, env: {} });
    const thread = `${server.url.replace("localhost", "127.0.0.1")}/v1/sites/demo/threads/restart/comments`;
    expect((await post(thread, commentBody({ body: "survives" }))).status).toBe(201);
    await server.stop();

    server = await startLocalServer({ port: 0, dataDir, env: {} });
    const again = `${server.url.replace("localhost", "127.0.0.1")}/v1/sites/demo/threads/restart/comments`;
    const page = await (await fetch(again)).json();
    expect(page.comments.map((c: { bodyHtml: string }) => c.bodyHtml)).toEqual(["<p>survives</p>"]);
    // The demo site accepts its own origins.
    const origin = server.url;
    expect((await fetch(again, { headers: { origin } })).headers.get("access-control-allow-origin")).toBe(origin);
  }, 300_000);

  it("refuses to start with an invalid sites file and names the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "comments-sites-"));
    dirs.push(dir);
    const file = join(dir, "sites.json");
    await import("node:fs").then((fs) => fs.writeFileSync(file, JSON.stringify({ sites: [{ id: "x", origins: [], captcha: { provider: "recaptcha-v3" } }] })));
    await expect(startLocalServer({ port: 0, dataDir: null, env: { SITES_FILE: file } })).rejects.toThrow(/sites\[0\]\.captcha\.secretEnv/);
  }, 300_000);

  it("creates moderator keys from the command line that work for their sites only", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "comments-cli-"));
    dirs.push(dataDir);
    server = await startLocalServer({ port: 0, dataDir, env: {}, sites: [{ id: "demo", origins: [] }, { id: "other", origins: [] }] });
    const { stdout } = await run("npx", ["tsx", "packages/local/src/moderator-cli.ts", "create", "--site", "demo", "--name", "alice"], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    const key = /(mk_\S+)/.exec(stdout)?.[1];
    expect(key).toBeTruthy();
    const base = server.url.replace("localhost", "127.0.0.1");
    const auth = { authorization: `Bearer ${key}` };
    expect((await fetch(`${base}/v1/mod/sites/demo/queue`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/v1/mod/sites/other/queue`, { headers: auth })).status).toBe(403);
    expect((await fetch(`${base}/v1/mod/keys`, { headers: auth })).status).toBe(403);
    // An admin key from the command line manages the keys of its sites.
    const admin = await run("npx", ["tsx", "packages/local/src/moderator-cli.ts", "create", "--site", "demo", "--name", "ada", "--role", "admin"], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    const adminAuth = { authorization: `Bearer ${/(mk_\S+)/.exec(admin.stdout)?.[1]}` };
    expect((await (await fetch(`${base}/v1/mod/me`, { headers: adminAuth })).json()).role).toBe("admin");
    const listed = (await (await fetch(`${base}/v1/mod/keys`, { headers: adminAuth })).json()) as { items: { name: string }[] };
    expect(listed.items.map((k) => k.name).sort()).toEqual(["ada", "alice"]);
    // The endpoint file is how the CLI found the running store; it disappears with the server.
    expect(readFileSync(join(dataDir, "dynamodb.endpoint"), "utf8")).toContain("http://127.0.0.1:");
  }, 300_000);
});

describe("the local server's HTTP edge", () => {
  it("answers a request line Node cannot parse into a URL with the error shape, not an empty 400", async () => {
    server = await startApiServer();
    const { request } = await import("node:http");
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: server!.port, path: "/v1\\sites", headers: { host: "bad host:1:2" } }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: "validation_failed", message: expect.any(String) } });
  });
});

describe("moderation origins", () => {
  it("lets a review page hosted on MODERATION_ORIGINS call the moderation API, and refuses other origins", async () => {
    server = await startApiServer({ env: { MODERATION_ORIGINS: "https://review.example, https://ops.example" } });
    const queue = `${server.url.replace("localhost", "127.0.0.1")}/v1/mod/sites/demo/queue`;
    const auth = asModerator();
    const allowed = await fetch(queue, { headers: { ...auth, origin: "https://ops.example" } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://ops.example");
    const refused = await fetch(queue, { headers: { ...auth, origin: "https://evil.example" } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("origin_not_allowed");
  });
});

describe("npm start", () => {
  /** Starts `npm start`'s entry in a child process and waits for it to print its URLs. */
  async function startService(dataDir: string) {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", "packages/local/src/main.ts"], {
      env: { ...process.env, PORT: "0", DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Press Ctrl-C to stop.")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const store = /Store:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    return { child, output, store: store! };
  }

  const storeAnswers = (endpoint: string) => fetch(endpoint, { method: "POST" }).then(() => true, () => false);
  const exited = (child: import("node:child_process").ChildProcess) => new Promise((resolve) => child.once("exit", resolve));

  it("prints the URLs and the dev key, and stops its embedded store on Ctrl-C", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "comments-start-"));
    dirs.push(dataDir);
    const { child, output, store } = await startService(dataDir);
    expect(output).toMatch(/Demo article:\s+http:\/\/localhost:\d+\//);
    expect(output).toMatch(/Review page:\s+http:\/\/localhost:\d+\/moderate/);
    expect(output).toContain("Moderator key:  dev-moderator-key");
    expect(await storeAnswers(store)).toBe(true);
    const done = exited(child);
    child.kill("SIGINT");
    await done;
    await expect.poll(() => storeAnswers(store), { timeout: 10_000 }).toBe(false);
  }, 300_000);

  it("leaves no Java process behind even when it is killed outright", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "comments-kill-"));
    dirs.push(dataDir);
    const { child, store } = await startService(dataDir);
    const done = exited(child);
    child.kill("SIGKILL");
    await done;
    await expect.poll(() => storeAnswers(store), { timeout: 10_000 }).toBe(false);
  }, 300_000);
});
