/**
 * Times `npm start` from process start to the first 200 from `/healthz`: the first start of an installation, a
 * fresh data folder, and an existing one. Shared by the bench's start-up scenario and `packages/local/scripts/measure-start.ts`.
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
  /** The installation's first start: a fresh data folder and no Java class-data archive yet. */
  first: number[];
  /** A fresh data folder (no table yet) with the installation's archive. */
  fresh: number[];
  /** A data folder an earlier start made. */
  existing: number[];
}

/** The folders a start is given: `DATA_DIR`, and `CLASS_DATA_DIR` for the Java class-data archive. */
export interface StartFolders {
  dataDir: string;
  classDataDir: string;
}

/**
 * Starts `npm start` once in `root` and resolves with the milliseconds until `/healthz` answered 200.
 * `whileHealthy` runs before the server is stopped (untimed).
 */
export async function timeOneStart(root: string, folders: StartFolders, whileHealthy?: () => Promise<void>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: folders.dataDir, CLASS_DATA_DIR: folders.classDataDir },
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
 * Times `runs` starts of each kind, interleaved (so a change in the machine's load hits all alike): an
 * installation's first start (an empty class-data folder), a fresh data folder and an existing one, both with the
 * archive an earlier start made. One untimed start first makes the existing folder and, in the background, the
 * archive, which is waited for. The bench's own class-data folder stands for the installation's.
 */
export async function measureStartTimes(
  options: { runs: number; root?: string; log?: (line: string) => void },
): Promise<StartTimes> {
  const root = options.root ?? defaultCheckoutRoot;
  const log = options.log ?? (() => undefined);
  const times: StartTimes = { first: [], fresh: [], existing: [] };
  // Untimed: the timed starts then measure the prebuilt path, as after `npm install`, not a first build.
  await buildStartBundle(root);
  const temporary: string[] = [];
  const folder = (name: string) => {
    temporary.push(mkdtempSync(join(tmpdir(), `comments-start-${name}-`)));
    return temporary.at(-1)!;
  };
  try {
    const existing = { dataDir: folder("existing"), classDataDir: folder("class-data") };
    // Creates the data and the table; the server keeps running until the class-data archive, made in the
    // background after a first start (and abandoned when the server stops), is complete. A checkout from before
    // CLASS_DATA_DIR keeps its archive in the data folder.
    const archives = [classDataArchiveOf(existing.classDataDir), classDataArchiveOf(existing.dataDir)];
    const made = () => archives.some((archive) => existsSync(archive));
    const making = () => archives.some((archive) => existsSync(`${archive}.partial`));
    await timeOneStart(root, existing, async () => {
      for (let waited = 0; waited < 180_000 && !made() && making(); waited += 250) {
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    log(`start-up: existing data folder ready (class-data archive ${made() ? "made" : "not made"})`);
    for (let i = 0; i < options.runs; i++) {
      const once = async (folders: StartFolders) => {
        try {
          return await timeOneStart(root, folders);
        } finally {
          for (const made of [folders.dataDir, folders.classDataDir]) {
            if (made !== existing.classDataDir) rmSync(made, { recursive: true, force: true });
          }
        }
      };
      times.first.push(await once({ dataDir: folder("first"), classDataDir: folder("first-class-data") }));
      times.fresh.push(await once({ dataDir: folder("fresh"), classDataDir: existing.classDataDir }));
      times.existing.push(await timeOneStart(root, existing));
      const last = (list: number[]) => Math.round(list.at(-1)!);
      log(`start ${i + 1}/${options.runs}: first ${last(times.first)} ms, fresh ${last(times.fresh)} ms, existing ${last(times.existing)} ms`);
    }
  } finally {
    for (const made of temporary) rmSync(made, { recursive: true, force: true });
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
