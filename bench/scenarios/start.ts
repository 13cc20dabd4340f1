import { measureStartTimes, summariseStarts } from "../support/start-to-healthy.ts";
import type { ScenarioContext } from "./context.ts";

/**
 * Scenario 8: `npm start` to the first 200 from `/healthz`, with a fresh data folder and with an existing one
 * (its table and Java class-data archive already made), `config.starts` of each, interleaved. The median and the
 * spread (fastest, slowest) of each.
 */
export async function startScenario(ctx: ScenarioContext) {
  ctx.log(`start-up: ${ctx.config.starts} × npm start with fresh and with existing data`);
  const times = await measureStartTimes({ runs: ctx.config.starts, log: ctx.log });
  return { starts: ctx.config.starts, fresh: summariseStarts(times.fresh), existing: summariseStarts(times.existing) };
}
