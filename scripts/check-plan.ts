import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { StackPlan } from "./plan/plan-stack.ts";
import { planProblems } from "./plan/plan-problems.ts";

/**
 * Runs every plan check on `.sst/plan.json` (written by `npm run plan:infra`) and exits 1 listing the
 * problems: a permission wider than the code needs, a variable the code reads that the function lacks, a table
 * that drifted from table.ts, a secret in plain text, a misrouted path, an unwired stream consumer.
 * Options: `--root DIR` (default this repository), `--json FILE`.
 */
const repository = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { root: { type: "string", default: repository }, json: { type: "string" } } });
const root = resolve(values.root!);
const plan = JSON.parse(readFileSync(values.json ?? join(root, ".sst/plan.json"), "utf8")) as StackPlan;
const problems = await planProblems(plan, root, process.env.SITES_FILE ?? "sites/production.example.json", process.env.MAIL_FROM);
if (problems.length > 0) {
  console.error(`plan check: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("plan check: table, handlers, environments, secrets, IAM, routes, stream consumers and mail as the code needs");
