import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { planMailFrom } from "./plan/plan-problems.ts";
import { planStack } from "./plan/plan-stack.ts";
import { renderPlan } from "./plan/render.ts";

/**
 * `npm run plan:infra`: plans a deploy of `sst.config.ts` offline (see scripts/plan/plan-stack.ts) and writes
 * the full plan to `.sst/plan.json` (what the plan tests read) and the readable table to `infra/plan.md`.
 *
 * Options: `--root DIR` (a project copy; default this repository), `--stage NAME` (default production),
 * `--json FILE`, `--md FILE` (`--md ""` writes none). Sites: `SITES_FILE` when set, else
 * `sites/production.example.json`; sender: `MAIL_FROM` when set, else `Comments <comments@news.example>`.
 */
const repository = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    root: { type: "string", default: repository },
    stage: { type: "string", default: "production" },
    json: { type: "string" },
    md: { type: "string" },
  },
});
const root = resolve(values.root!);
const sitesFile = process.env.SITES_FILE ?? "sites/production.example.json";
// The sender the deploy reads from MAIL_FROM; a placeholder address when planning without one.
const mailFrom = process.env.MAIL_FROM ?? planMailFrom;
const plan = await planStack({ root, stage: values.stage!, env: { SITES_FILE: sitesFile, MAIL_FROM: mailFrom } });

const json = resolve(values.json ?? join(root, ".sst/plan.json"));
mkdirSync(dirname(json), { recursive: true });
writeFileSync(json, `${JSON.stringify(plan, null, 2)}\n`);
const md = values.md ?? join(root, "infra/plan.md");
if (md) writeFileSync(resolve(md), renderPlan(plan, `\`${sitesFile}\``));
const created = plan.resources.filter((resource) => resource.custom && resource.type !== "pulumi:pulumi:Stack").length;
console.log(`plan: ${created} resources for stage ${plan.app.stage} -> ${json}${md ? ` and ${md}` : ""}`);
