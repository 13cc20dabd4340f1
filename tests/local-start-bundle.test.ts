/**
 * `npm start` (scripts/start.mjs) runs the local server from a bundle of its sources (scripts/local-bundle.mjs)
 * instead of compiling TypeScript at start, and still always runs the current sources: it builds the bundle when
 * there is none for them. Each test builds into a bundles folder of its own (`LOCAL_BUNDLE_DIR`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { dynamoEndpoint } from "./support/harness.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const running: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(stop));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Stops a start (Ctrl-C, which also stops its embedded store) and waits until it has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  await exited;
}

/** Runs the launcher as `npm start` does, and resolves with its URL once it prints its banner. */
async function start(env: Record<string, string>): Promise<{ url: string; stderr: () => string }> {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const banner = /Comment service running at (http:\/\/localhost:\d+)[\s\S]*Press Ctrl-C to stop\./.exec(stdout);
      if (banner) resolve(banner[1]!.replace("localhost", "127.0.0.1"));
    });
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${stdout}${stderr}`)));
  });
  return { url, stderr: () => stderr };
}

/** The builds in a bundles folder (one folder per set of sources). */
const builds = (bundlesDir: string) => readdirSync(bundlesDir).filter((name) => !name.startsWith("."));

const building = "Building the local server";

describe("npm start's prebuilt bundle", () => {
  it("is built on a first start, and the server it runs answers /healthz and serves the widget's /embed.js", async () => {
    const bundlesDir = tempDir("comments-bundle-");
    const server = await start({ LOCAL_BUNDLE_DIR: bundlesDir, DATA_DIR: tempDir("comments-data-") });
    expect(server.stderr()).toContain(building);
    expect(builds(bundlesDir)).toHaveLength(1);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The widget bundles its browser sources at run time, found beside its own module: from the bundle too.
    const embed = await fetch(`${server.url}/embed.js`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get("content-type")).toContain("javascript");
    expect((await embed.text()).length).toBeGreaterThan(100);
  }, 300_000);

  it("is reused while the sources are unchanged, and rebuilt after a source file changes", async () => {
    const bundlesDir = tempDir("comments-bundle-");
    // The shared test store (no JVM per start): each start below only has to build or reuse the bundle.
    const env = { LOCAL_BUNDLE_DIR: bundlesDir, DATA_DIR: tempDir("comments-data-"), DYNAMODB_ENDPOINT: dynamoEndpoint(), TABLE_NAME: `start-bundle-${Date.now()}` };
    const first = await start(env);
    expect(first.stderr()).toContain(building);
    await Promise.all(running.splice(0).map(stop));

    const again = await start(env);
    expect(again.stderr()).not.toContain(building);
    expect(builds(bundlesDir)).toHaveLength(1);
    await Promise.all(running.splice(0).map(stop));

    // An edit, as far as the launcher can tell: main.ts's modification time moves (restored afterwards).
    const source = join(root, "packages/local/src/main.ts");
    const { atime, mtime } = statSync(source);
    utimesSync(source, new Date(), new Date());
    try {
      const edited = await start(env);
      expect(edited.stderr()).toContain(building);
      expect(builds(bundlesDir)).toHaveLength(2);
      expect((await fetch(`${edited.url}/healthz`)).status).toBe(200);
    } finally {
      utimesSync(source, atime, mtime);
    }
  }, 300_000);
});
