/**
 * Times `npm start` from process start to the first 200 from `/healthz`, with a fresh data folder and with an
 * existing one (median of `--runs`, default 5). Prints one line per mode; `--json` prints the raw figures.
 *
 *   npx tsx packages/local/scripts/measure-start.ts [--runs 5] [--json] [--root <checkout>]
 *
 * `--root` times another checkout (with its own node_modules), for before/after figures on the same machine.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../src/dynamodb-local.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, json: { type: "boolean" }, root: { type: "string" } } });
const runs = Number(values.runs);
const root = values.root ?? new URL("../../../", import.meta.url).pathname;

/** Starts `npm start` once and resolves with the milliseconds until `/healthz` answered 200. */
async function timeOneStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ["ignore", "ignore", "pipe"],
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
      if (healthy) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const gone = new Promise((r) => (exited ? r(undefined) : child.once("exit", r)));
    process.kill(-child.pid!, "SIGINT");
    await gone;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results: Record<string, number[]> = { fresh: [], existing: [] };
const existingDir = mkdtempSync(join(tmpdir(), "comments-start-existing-"));
try {
  await timeOneStart(existingDir); // creates the data, the table and any start-up caches
  // The class-data archive is made in the background after a first start: wait for it (when this release makes one).
  const archive = join(existingDir, "dynamodb-local.jsa");
  for (let waited = 0; waited < 180_000 && !existsSync(archive) && existsSync(`${archive}.partial`); waited += 500) await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < runs; i++) {
    const freshDir = mkdtempSync(join(tmpdir(), "comments-start-fresh-"));
    try {
      results.fresh!.push(await timeOneStart(freshDir));
    } finally {
      rmSync(freshDir, { recursive: true, force: true });
    }
    results.existing!.push(await timeOneStart(existingDir));
  }
} finally {
  rmSync(existingDir, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify(results));
for (const [mode, times] of Object.entries(results)) {
  console.log(`${mode.padEnd(8)} data: median ${Math.round(median(times))} ms to a healthy /healthz (${times.map(Math.round).join(", ")} ms)`);
}
