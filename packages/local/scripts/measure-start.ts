/**
 * Times `npm start` from process start to the first 200 from `/healthz`, with a fresh data folder and with an
 * existing one (median of `--runs`, default 5). Prints one line per mode; `--json` prints the raw figures.
 * `npm run bench` measures the same (its start-up scenario); this script runs only that.
 *
 *   npx tsx packages/local/scripts/measure-start.ts [--runs 5] [--json] [--root <checkout>]
 *
 * `--root` times another checkout (with its own node_modules), for before/after figures on the same machine.
 */
import { parseArgs } from "node:util";
import { measureStartTimes, summariseStarts } from "../../../bench/support/start-to-healthy.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, json: { type: "boolean" }, root: { type: "string" } } });
const results = await measureStartTimes({ runs: Number(values.runs), ...(values.root ? { root: values.root } : {}) });
if (values.json) console.log(JSON.stringify(results));
for (const [mode, times] of Object.entries(results)) {
  const { medianMs, runsMs } = summariseStarts(times);
  console.log(`${mode.padEnd(8)} data: median ${medianMs} ms to a healthy /healthz (${runsMs.join(", ")} ms)`);
}
