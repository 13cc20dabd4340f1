import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CeilingJob, CeilingOutcome } from "../support/ceiling-child.ts";
import { benchSite, benchSiteId } from "../support/environment.ts";
import { median, round } from "../support/stats.ts";
import type { ScenarioContext } from "./context.ts";

/** The store's own rate for one request shape, the service's HTTP rate for the same, and the share reached. */
export interface CeilingFigures {
  storeRequestsPerSecond: number;
  httpRequestsPerSecond: number;
  /** HTTP rate as a percentage of the store's ceiling. */
  percentOfCeiling: number;
  rounds: number[];
}

/** Runs ceiling jobs in a child process of its own (so it shares neither event loop nor CPU accounting with the server). */
async function withCeilingProcess<T>(endpoint: string, work: (run: (job: CeilingJob) => Promise<CeilingOutcome>) => Promise<T>): Promise<T> {
  const child = fork(fileURLToPath(new URL("../support/ceiling-child.ts", import.meta.url)), [endpoint], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (o: CeilingOutcome) => void; reject: (e: Error) => void }>();
  child.on("message", (message: { id: number; outcome?: CeilingOutcome; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.outcome) entry?.resolve(message.outcome);
    else entry?.reject(new Error(`ceiling process: ${message.error}`));
  });
  child.on("exit", (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`ceiling process exited (${code})`));
    waiting.clear();
  });
  const run = (job: CeilingJob) =>
    new Promise<CeilingOutcome>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, job });
    });
  try {
    return await work(run);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      child.disconnect();
      await exited;
    }
  }
}

/**
 * Scenario: the store's ceiling. From a separate process, as many thread-page reads and as many post transactions
 * as DynamoDB Local answers with the same concurrency as the HTTP scenarios, through the same store adapter (same
 * request shapes); then the HTTP read and post rates measured earlier in the run as a share of that ceiling.
 */
export async function ceilingScenario(ctx: ScenarioContext, http: { readRps: number; postRps: number; readThreadId: string }) {
  const base = {
    endpoint: ctx.env.endpoint,
    tableName: ctx.env.server.tableName,
    siteId: benchSiteId,
    pageSize: ctx.config.pageSize,
    concurrency: ctx.config.connections,
    seconds: ctx.config.seconds,
    duplicateWindowMinutes: benchSite.moderation?.duplicateWindowMinutes ?? 10,
  };
  return withCeilingProcess(ctx.env.endpoint, async (run) => {
    const measure = async (job: CeilingJob, httpRps: number): Promise<CeilingFigures> => {
      await run({ ...job, seconds: ctx.config.warmupSeconds });
      const rounds: number[] = [];
      for (let i = 0; i < ctx.config.rounds; i++) {
        const outcome = await run(job);
        if (outcome.failed > 0) ctx.log(`ceiling ${job.kind}: ${outcome.failed} requests failed`);
        rounds.push(round(outcome.requestsPerSecond, 1));
      }
      const storeRps = round(median(rounds), 1);
      return { storeRequestsPerSecond: storeRps, httpRequestsPerSecond: httpRps, percentOfCeiling: round((100 * httpRps) / storeRps, 0), rounds };
    };
    ctx.log("ceiling: the store's own thread-page read rate (separate process, same Query)");
    const read = await measure({ ...base, kind: "read", threadId: http.readThreadId }, http.readRps);
    ctx.log("ceiling: the store's own post transaction rate (separate process, same transaction)");
    const post = await measure({ ...base, kind: "post", threadId: "ceiling-posts" }, http.postRps);
    return { read, post };
  });
}
