/**
 * `npm run build:widget`: writes embed.js (the loader) and count.js (plain and content-hashed names), the
 * widget bundle `assets/widget.<hash>.js`, one `assets/locale-<lang>.<version>.js` per language but English, and the review
 * page (moderate.html + moderate.js) to packages/widget/dist. Prints raw and gzipped sizes against each
 * budget and fails when any is over (the review page has no budget).
 *
 * Options: `--out <dir>` (default packages/widget/dist); `--loader-budget`, `--widget-budget`,
 * `--locale-budget`, `--count-budget` <bytes> override the budgets (defaults in src/server/assets.ts).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkBudgets, widgetAssets, widgetBudgets } from "../src/server/assets.ts";
import { buildReviewAssets } from "../src/server/review-routes.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    "loader-budget": { type: "string" },
    "widget-budget": { type: "string" },
    "locale-budget": { type: "string" },
    "count-budget": { type: "string" },
  },
});
const out = resolve(values.out ?? fileURLToPath(new URL("../dist", import.meta.url)));
const budgets = { ...widgetBudgets };
for (const name of ["loader", "widget", "locale", "count"] as const) {
  const raw = values[`${name}-budget`];
  if (raw === undefined) continue;
  const bytes = Number(raw);
  if (!Number.isInteger(bytes) || bytes <= 0) {
    console.error(`--${name}-budget must be a positive whole number of bytes, got "${raw}"`);
    process.exit(2);
  }
  budgets[name] = bytes;
}

const assets = await widgetAssets();
mkdirSync(join(out, "assets"), { recursive: true });
// Hashed files of earlier builds are stale; only the current ones stay.
for (const old of readdirSync(out)) if (/^(embed|count)\.[0-9a-f]{12}\.js$/.test(old)) rmSync(join(out, old));
for (const old of readdirSync(join(out, "assets"))) if (/^(widget|locale-[a-z]+)\.[0-9a-f]{12}\.js$/.test(old)) rmSync(join(out, "assets", old));

const row = (name: string, bytes: number, gzipBytes: number, note: string) =>
  `  ${name.padEnd(30)} ${String(bytes).padStart(7)} B raw  ${String(gzipBytes).padStart(6)} B gzip  ${note}`;
const rows: string[] = [];
const checks = checkBudgets(assets, budgets);
for (const { asset, budget, what, fits } of checks) {
  writeFileSync(join(out, asset.name), asset.contents);
  // embed.js and count.js keep stable names for host pages, plus a hashed copy for long caching.
  if (asset === assets.embed || asset === assets.count) writeFileSync(join(out, asset.name.replace(/\.js$/, `.${asset.hash}.js`)), asset.contents);
  rows.push(row(asset.name, asset.bytes, asset.gzipBytes, `of ${budget} B budget${fits ? "" : " OVER"}  (${what})`));
}
const review = await buildReviewAssets();
for (const asset of [review.html, review.script]) {
  writeFileSync(join(out, asset.name), asset.contents);
  rows.push(row(asset.name, asset.bytes, asset.gzipBytes, "(review page, no budget)"));
}
console.log(`Widget assets in ${out}:\n${rows.join("\n")}`);
const over = checks.filter((check) => !check.fits);
for (const { asset, budget } of over) console.error(`Over budget: ${asset.name} is ${asset.gzipBytes} gzipped bytes, the budget is ${budget}.`);
if (over.length > 0) process.exit(1);
