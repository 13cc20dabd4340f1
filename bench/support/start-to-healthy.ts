/**
 * Times `npm start` from process start to the first 200 from `/healthz`, with a fresh data folder and with an
 * existing one. Shared by the bench's start-up scenario and `packages/local/scripts/measure-start.ts`.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "../../packages/local/src/dynamodb-local.ts";
import { classDataArchiveOf } from "../../packages/local/src/embedded-store.ts";
import { median, round } from "./stats.ts";

/** The checkout this module belongs to. */
export const defaultCheckoutRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Milliseconds from spawning `npm start` to its first healthy answer, one entry per start. */
export interface StartTimes {
  fresh: number[];
  existing: number[];
}

/**
 * Starts `npm start` once in `root` and resolves with the milliseconds until `/healthz` answered 200.
 * `whileHealthy` runs before the server is stopped (untimed).
 */
export async function timeOneStart(root: string, dataDir: string, whileHealthy?: () => Promise<void>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ["ignore", "ignore", "pipe"],
    // Its own process group, so the store's JVM (and any archive maker) stop with it.
    detached: true,
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  let exited = false;
  child.once("exit", () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`npm start exited before it was healthy:\n${errors}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (healthy) {
        const elapsed = performance.now() - started;
        await whileHealthy?.();
        return elapsed;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const gone = new Promise((r) => (exited ? r(undefined) : child.once("exit", r)));
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      // already gone
    }
    await gone;
  }
}

/**
 * Builds `npm start`'s prebuilt bundle in `root` (scripts/local-bundle.mjs), when that checkout has one. Untimed:
 * `npm install` builds it, so the starts a person makes run from it; without this, a fresh checkout's first timed
 * start would include the build.
 */
export async function buildStartBundle(root: string): Promise<void> {
  const script = join(root, "scripts", "local-bundle.mjs");
  if (existsSync(script)) await promisify(execFile)(process.execPath, [script], { cwd: root });
}

/**
 * Times `runs` starts with a fresh data folder and `runs` with an existing one, interleaved (so a change in the
 * machine's load hits both alike). The existing folder is made by one untimed start first, and its Java
 * class-data archive, made in the background after that start, is waited for.
 */
export async function measureStartTimes(
  options: { runs: number; root?: string; log?: (line: string) => void },
): Promise<StartTimes> {
  const root = options.root ?? defaultCheckoutRoot;
  const log = options.log ?? (() => undefined);
  const times: StartTimes = { fresh: [], existing: [] };
  // Untimed: the timed starts then measure the prebuilt path, as after `npm install`, not a first build.
  await buildStartBundle(root);
  const existingDir = mkdtempSync(join(tmpdir(), "comments-start-existing-"));
  try {
    // Creates the data and the table; the server keeps running until the store's class-data archive, made in
    // the background after a first start (and abandoned when the server stops), is complete.
    const archive = classDataArchiveOf(existingDir);
    await timeOneStart(root, existingDir, async () => {
      for (let waited = 0; waited < 180_000 && !existsSync(archive) && existsSync(`${archive}.partial`); waited += 250) {
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    log(`start-up: existing data folder ready (class-data archive ${existsSync(archive) ? "made" : "not made"})`);
    for (let i = 0; i < options.runs; i++) {
      const freshDir = mkdtempSync(join(tmpdir(), "comments-start-fresh-"));
      try {
        times.fresh.push(await timeOneStart(root, freshDir));
      } finally {
        rmSync(freshDir, { recursive: true, force: true });
      }
      times.existing.push(await timeOneStart(root, existingDir));
      log(`start ${i + 1}/${options.runs}: fresh ${Math.round(times.fresh.at(-1)!)} ms, existing ${Math.round(times.existing.at(-1)!)} ms`);
    }
  } finally {
    rmSync(existingDir, { recursive: true, force: true });
  }
  return times;
}

/** The median of a mode's starts, with the fastest and slowest (the spread), in milliseconds. */
export interface StartSummary {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runsMs: number[];
}

/** Median, fastest and slowest of a list of start times. */
export function summariseStarts(times: number[]): StartSummary {
  return {
    medianMs: round(median(times), 0),
    minMs: round(Math.min(...times), 0),
    maxMs: round(Math.max(...times), 0),
    runsMs: times.map((t) => round(t, 0)),
  };
}
