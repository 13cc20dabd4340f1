import { measureStartTimes, summariseStarts } from "../support/start-to-healthy.ts";
import type { ScenarioContext } from "./context.ts";

/**
 * Scenario 8: `npm start` to the first 200 from `/healthz`: an installation's first start (no Java class-data
 * archive yet), a fresh data folder and an existing one (both with the archive), `config.starts` of each,
 * interleaved. The median and the spread (fastest, slowest) of each.
 */
export async function startScenario(ctx: ScenarioContext) {
  ctx.log(`start-up: ${ctx.config.starts} × npm start as an installation's first, with fresh and with existing data`);
  const times = await measureStartTimes({ runs: ctx.config.starts, log: ctx.log });
  return {
    starts: ctx.config.starts,
    first: summariseStarts(times.first),
    fresh: summariseStarts(times.fresh),
    existing: summariseStarts(times.existing),
  };
}
