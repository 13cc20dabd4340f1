import { createClients, createStore } from "@comments/store";
import { benchSiteId } from "../support/environment.ts";
import { inProcessApp, postJson } from "../support/in-process-app.ts";
import { sampleBody, seedThread } from "../support/seed.ts";
import { median, medianOfRounds, percentile, round, type Round } from "../support/stats.ts";
import type { ScenarioContext } from "./context.ts";

/** A closed loop of `concurrency` callers for `seconds`: rate, latency and CPU time of this process per call. */
async function closedLoop(call: () => Promise<void>, concurrency: number, seconds: number) {
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < endAt) {
        const sent = performance.now();
        await call();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    round: {
      requestsPerSecond: round(latencies.length / elapsed, 1),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
    } satisfies Round,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / latencies.length,
  };
}

/** Warm-up, then the median of the rounds, plus the median CPU milliseconds per call. */
async function measure(ctx: ScenarioContext, call: () => Promise<void>) {
  await closedLoop(call, ctx.config.connections, ctx.config.warmupSeconds);
  const rounds = [];
  for (let i = 0; i < ctx.config.rounds; i++) rounds.push(await closedLoop(call, ctx.config.connections, ctx.config.seconds));
  return { ...medianOfRounds(rounds.map((r) => r.round)), cpuMsPerRequest: round(median(rounds.map((r) => r.cpuMsPerCall)), 3) };
}

/**
 * Scenario 3: the same read and post through `app.request()` (no sockets, no HTTP parsing), and the store's
 * thread read alone, to split the time between the network stack, our code and DynamoDB.
 */
export async function inProcessScenario(ctx: ScenarioContext) {
  const clients = createClients({ endpoint: ctx.env.endpoint });
  try {
    const store = createStore(clients.documentClient, ctx.env.server.tableName);
    const app = inProcessApp(store);
    const threadId = `in-process-${ctx.config.threadSize}`;
    await seedThread(ctx.env.clients.documentClient, ctx.env.server.tableName, benchSiteId, threadId, ctx.config.threadSize);
    const base = `/v1/sites/${benchSiteId}/threads/${threadId}/comments`;
    const expect = (status: number, what: string) => (response: Response) => {
      if (response.status !== status) throw new Error(`${what} answered ${response.status}`);
      return response.arrayBuffer();
    };

    ctx.log("in-process: store read, app.request read, app.request post");
    const storeRead = await measure(ctx, async () => {
      await store.readThreadPage(benchSiteId, threadId, { sort: "oldest", limit: ctx.config.pageSize, after: null });
    });
    const read = await measure(ctx, async () => {
      await expect(200, "read")(await app.request(`${base}?limit=${ctx.config.pageSize}`));
    });
    let n = 0;
    const post = await measure(ctx, async () => {
      n += 1;
      await postJson(app, base, { author: { name: "Bench Reader" }, body: sampleBody(n), captchaToken: "test:0.9" }).then(expect(201, "post"));
    });
    return { storeRead, read, post };
  } finally {
    clients.client.destroy();
  }
}
