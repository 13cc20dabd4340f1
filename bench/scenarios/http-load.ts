import { benchSiteId } from "../support/environment.ts";
import type { LoadJob, LoadOutcome } from "../support/load.ts";
import { countThread } from "../support/seed.ts";
import { median, medianOfRounds, round, type Round } from "../support/stats.ts";
import type { ScenarioContext } from "./context.ts";

/** Requests per second and latency of a scenario (the median of its rounds), and the server's CPU time per request. */
export type LoadFigures = ReturnType<typeof medianOfRounds> & { cpuMsPerRequest: number; statusCounts: Record<string, number>; errors: number };

/** A POST scenario's figures plus the check that every accepted comment was stored, and nothing else. */
export interface PostFigures extends LoadFigures {
  /** 201 + 202 answers seen by the client (warm-up included). */
  accepted: number;
  /** Comment items the thread gained during the run. */
  stored: number;
  /** How much the thread's published counter grew (must equal the 201 answers). */
  commentCountGrowth: number;
  storedMatchesAccepted: boolean;
}

const toRound = (outcome: LoadOutcome): Round => ({
  requestsPerSecond: round(outcome.requestsPerSecond, 1),
  p50Ms: outcome.p50Ms,
  p99Ms: outcome.p99Ms,
});

/** Runs a job and measures this process's CPU time meanwhile: the server's (the load generator is another process). */
async function runMeasured(ctx: ScenarioContext, job: LoadJob) {
  const before = process.cpuUsage();
  const outcome = await ctx.load.run(job);
  const cpu = process.cpuUsage(before);
  return { outcome, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, outcome.completed) };
}

const medianCpu = (values: number[]) => round(median(values), 3);

function addCounts(total: Record<string, number>, outcome: LoadOutcome) {
  for (const [status, count] of Object.entries(outcome.statusCounts)) total[status] = (total[status] ?? 0) + count;
}

/** The thread page URL the widget asks for. */
export const threadPageUrl = (ctx: ScenarioContext, threadId: string) =>
  `${ctx.env.baseUrl}/v1/sites/${benchSiteId}/threads/${encodeURIComponent(threadId)}/comments?limit=${ctx.config.pageSize}`;

/** Runs a time-boxed GET: warm-up, then `rounds` rounds of `seconds`. */
export async function measureGet(ctx: ScenarioContext, url: string, headers: Record<string, string> = {}, connections = ctx.config.connections): Promise<LoadFigures> {
  const job: LoadJob = { url, method: "GET", headers, connections };
  await ctx.load.run({ ...job, seconds: ctx.config.warmupSeconds });
  const statusCounts: Record<string, number> = {};
  const rounds: Round[] = [];
  const cpu: number[] = [];
  let errors = 0;
  for (let i = 0; i < ctx.config.rounds; i++) {
    const { outcome, cpuMsPerRequest } = await runMeasured(ctx, { ...job, seconds: ctx.config.seconds });
    addCounts(statusCounts, outcome);
    errors += outcome.errors;
    rounds.push(toRound(outcome));
    cpu.push(cpuMsPerRequest);
  }
  return { ...medianOfRounds(rounds), cpuMsPerRequest: medianCpu(cpu), statusCounts, errors };
}

/** The JSON a reader's widget posts; `[<id>]` becomes a fresh id per request so no two bodies are equal. */
export const postTemplate = (score = "0.9") =>
  JSON.stringify({
    author: { name: "Bench Reader" },
    body: "Comment [<id>]: the council vote on the new bus lanes was closer than the article suggests, and the budget figures come from last year's plan.",
    captchaToken: `test:${score}`,
  });

/**
 * Posts comments to a thread: warm-up, then `rounds` rounds, then counts what the thread gained.
 * Each round sends a fixed number of requests (the previous round's rate × `seconds`) instead of stopping on
 * a timer: a timer abandons requests in flight, which the server still stores, and the stored == accepted
 * check could no longer be exact.
 */
export async function measurePost(ctx: ScenarioContext, threadId: string, connections = ctx.config.connections): Promise<PostFigures> {
  const { documentClient } = ctx.env.clients;
  const tableName = ctx.env.server.tableName;
  const before = await countThread(documentClient, tableName, benchSiteId, threadId);
  const job: LoadJob = {
    url: threadPageUrl(ctx, threadId).replace(/\?.*$/, ""),
    method: "POST",
    headers: { "content-type": "application/json" },
    body: postTemplate(),
    connections,
  };
  const amountFor = (rate: number, seconds: number) => Math.max(connections, Math.round(rate * seconds));
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  const warmup = await ctx.load.run({ ...job, amount: connections * 5 });
  addCounts(statusCounts, warmup);
  errors += warmup.errors;
  let rate = warmup.requestsPerSecond;
  if (ctx.config.warmupSeconds > warmup.elapsedSeconds) {
    const more = await ctx.load.run({ ...job, amount: amountFor(rate, ctx.config.warmupSeconds - warmup.elapsedSeconds) });
    addCounts(statusCounts, more);
    errors += more.errors;
    rate = more.requestsPerSecond;
  }
  const rounds: Round[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < ctx.config.rounds; i++) {
    const { outcome, cpuMsPerRequest } = await runMeasured(ctx, { ...job, amount: amountFor(rate, ctx.config.seconds) });
    addCounts(statusCounts, outcome);
    errors += outcome.errors;
    rate = outcome.requestsPerSecond;
    rounds.push(toRound(outcome));
    cpu.push(cpuMsPerRequest);
  }
  const after = await countThread(documentClient, tableName, benchSiteId, threadId);
  const accepted = (statusCounts["201"] ?? 0) + (statusCounts["202"] ?? 0);
  const stored = after.published + after.hidden - (before.published + before.hidden);
  const commentCountGrowth = after.commentCount - before.commentCount;
  return {
    ...medianOfRounds(rounds),
    cpuMsPerRequest: medianCpu(cpu),
    statusCounts,
    errors,
    accepted,
    stored,
    commentCountGrowth,
    storedMatchesAccepted: stored === accepted && commentCountGrowth === (statusCounts["201"] ?? 0),
  };
}
