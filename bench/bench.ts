import { renameSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { loadavg } from "node:os";
import type { BenchConfig } from "./config.ts";
import { describeMachine, startBenchEnvironment } from "./support/environment.ts";
import { startLoadGenerator } from "./support/load.ts";
import type { ScenarioContext } from "./scenarios/context.ts";
import { httpScenarios } from "./scenarios/http.ts";
import { inProcessScenario } from "./scenarios/in-process.ts";
import { capacityScenario } from "./scenarios/capacity.ts";
import { ceilingScenario } from "./scenarios/ceiling.ts";
import { coldStartScenario } from "./scenarios/cold-start.ts";
import { widgetScenario } from "./scenarios/widget.ts";
import { scaleScenario } from "./scenarios/scale.ts";
import { hotThreadScenario } from "./scenarios/hot-thread.ts";
import { startScenario } from "./scenarios/start.ts";

/**
 * Runs every scenario against its own DynamoDB Local (or `config.dynamoEndpoint`) and local server, then
 * stops everything. Progress goes to `log`.
 */
export async function runBench(config: BenchConfig, log: (line: string) => void = () => undefined) {
  const started = performance.now();
  const machine = { ...describeMachine(), loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100 };
  log(`starting DynamoDB Local and the server`);
  const env = await startBenchEnvironment(config.dynamoEndpoint ? { dynamoEndpoint: config.dynamoEndpoint } : {});
  const load = startLoadGenerator();
  try {
    const ctx: ScenarioContext = { config, env, load, log };
    const http = await httpScenarios(ctx);
    const ceiling = await ceilingScenario(ctx, {
      readRps: http.read.requestsPerSecond,
      postRps: http.post.requestsPerSecond,
      readThreadId: http.threadId,
    });
    const hotThread = await hotThreadScenario(ctx, http.threadId);
    const inProcess = await inProcessScenario(ctx);
    const capacity = await capacityScenario(ctx);
    const coldStart = await coldStartScenario(ctx);
    const widget = await widgetScenario(ctx);
    const scale = await scaleScenario(ctx);
    const start = await startScenario(ctx);
    return {
      generatedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: Math.round(loadavg()[0]! * 100) / 100 },
      config: { ...config, dynamoEndpoint: undefined, out: undefined },
      http,
      ceiling,
      hotThread,
      inProcess,
      capacity,
      coldStart,
      widget,
      scale,
      start,
      durationSeconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    await load.stop();
    await env.stop();
  }
}

/** Everything `npm run bench` measured (the shape of bench/results.json). */
export type BenchResults = Awaited<ReturnType<typeof runBench>>;

/** Writes the results as JSON, atomically (a half-written file never replaces a good one). */
export function writeResults(results: BenchResults, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
