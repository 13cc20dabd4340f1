/**
 * `npm run build:widget`: writes embed.js and count.js (plain and content-hashed names) and the review page
 * (moderate.html + moderate.js) to packages/widget/dist, prints raw and gzipped sizes and fails when the
 * gzipped total a reader's page downloads is over budget (the review page is not part of it).
 *
 * Options: `--out <dir>` (default packages/widget/dist), `--budget <bytes>` (default 15 KB).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { widgetAssets, widgetBudgetBytes } from "../src/server/assets.ts";
import { buildReviewAssets } from "../src/server/review-routes.ts";

const { values } = parseArgs({ options: { out: { type: "string" }, budget: { type: "string" } } });
const out = resolve(values.out ?? fileURLToPath(new URL("../dist", import.meta.url)));
const budget = values.budget === undefined ? widgetBudgetBytes : Number(values.budget);
if (!Number.isInteger(budget) || budget <= 0) {
  console.error(`--budget must be a positive whole number of bytes, got "${values.budget}"`);
  process.exit(2);
}

const { embed, count } = await widgetAssets();
mkdirSync(out, { recursive: true });
// Hashed copies of earlier builds are stale; only the current ones stay.
for (const old of readdirSync(out)) if (/^(embed|count)\.[0-9a-f]{12}\.js$/.test(old)) rmSync(join(out, old));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const rows: string[] = [];
for (const asset of [embed, count]) {
  const hashed = asset.name.replace(/\.js$/, `.${asset.hash}.js`);
  writeFileSync(join(out, asset.name), asset.contents);
  writeFileSync(join(out, hashed), asset.contents);
  rows.push(`  ${asset.name.padEnd(10)} ${String(asset.bytes).padStart(7)} B raw  ${String(asset.gzipBytes).padStart(6)} B gzip  (${hashed})`);
}
const review = await buildReviewAssets();
for (const asset of [review.html, review.script]) {
  writeFileSync(join(out, asset.name), asset.contents);
  rows.push(`  ${asset.name.padEnd(13)} ${String(asset.bytes).padStart(7)} B raw  ${String(asset.gzipBytes).padStart(6)} B gzip  (review page, not in the reader budget)`);
}
const total = embed.gzipBytes + count.gzipBytes;
console.log(`Widget assets in ${out}:\n${rows.join("\n")}`);
console.log(`  total      ${String(embed.bytes + count.bytes).padStart(7)} B raw  ${String(total).padStart(6)} B gzip  = ${kb(total)} of ${kb(budget)} budget`);
if (total > budget) {
  console.error(`Over budget: the widget downloads ${total} gzipped bytes, the budget is ${budget}.`);
  process.exit(1);
}
