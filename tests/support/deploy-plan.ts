import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackPlan } from "../../scripts/plan/plan-stack.ts";

/** The repository root. */
export const root = join(import.meta.dirname, "../..");
const planJson = join(root, ".sst/plan.json");
const tsx = join(root, "node_modules/.bin/tsx");

/** Files whose change changes the plan. */
function newestInput(dir: string): number {
  return readdirSync(dir).reduce((newest, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return Math.max(newest, stat.isDirectory() ? newestInput(path) : stat.mtimeMs);
  }, 0);
}

/** Runs a project script with tsx and resolves with its exit code and output (never rejects). */
export function runScript(script: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(tsx, [join(root, script), ...args], { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Fails with what to run when SST's platform (`npx sst install`) is not there. */
export function requirePlatform() {
  if (!existsSync(join(root, ".sst/platform/src/components"))) {
    throw new Error("SST's platform is not installed in .sst/platform: run `npm run check:infra` (or `npx sst install`) once.");
  }
}

/**
 * The plan of this repository's stack (`.sst/plan.json`), made again when sst.config.ts, infra/, functions/
 * or the planner (scripts/plan/) changed since. Needs SST's platform in `.sst/platform` (`npm run check:infra`
 * fetches it).
 */
export async function currentPlan(): Promise<StackPlan> {
  requirePlatform();
  const inputs = Math.max(statSync(join(root, "sst.config.ts")).mtimeMs, ...["infra", "functions", "scripts/plan"].map((dir) => newestInput(join(root, dir))));
  if (!existsSync(planJson) || statSync(planJson).mtimeMs < inputs) {
    const run = await runScript("scripts/plan-infra.ts", []);
    if (run.code !== 0) throw new Error(`npm run plan:infra failed:\n${run.stdout}\n${run.stderr}`);
  }
  return JSON.parse(readFileSync(planJson, "utf8")) as StackPlan;
}

/**
 * A copy of the project's deploy input (sst.config.ts, infra/, functions/, sites/) in a temporary folder, for
 * mutating: the workspace packages, node_modules and SST's platform are linked from the repository; the widget
 * package is copied without its build output, so the copy builds its own and never races the repository's plan.
 */
export function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-copy-"));
  for (const file of ["sst.config.ts", "sst-env.d.ts", "package.json"]) cpSync(join(root, file), join(dir, file));
  for (const folder of ["infra", "functions", "sites"]) cpSync(join(root, folder), join(dir, folder), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "packages"));
  for (const name of readdirSync(join(root, "packages"))) {
    if (name === "widget") cpSync(join(root, "packages/widget"), join(dir, "packages/widget"), { recursive: true, filter: (path) => !/[\\/](dist|node_modules)$/.test(path) });
    else symlinkSync(join(root, "packages", name), join(dir, "packages", name));
  }
  mkdirSync(join(dir, ".sst"));
  symlinkSync(join(root, ".sst/platform"), join(dir, ".sst/platform"));
  cpSync(join(root, ".sst/provider-lock.json"), join(dir, ".sst/provider-lock.json"));
  return dir;
}
