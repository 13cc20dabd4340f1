/**
 * The load generator's own process: runs autocannon for each job the bench sends over IPC, so the
 * server under test never shares its event loop or CPU accounting with the client.
 */
import autocannon from "autocannon";
import type { LoadJob, LoadOutcome } from "./load.ts";

async function run(job: LoadJob): Promise<LoadOutcome> {
  const startedAt = performance.now();
  let lastResponseAt = startedAt;
  const statusCounts: Record<string, number> = {};
  const instance = autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    ...(job.body !== undefined ? { body: job.body, idReplacement: true } : {}),
    connections: job.connections,
    ...(job.amount !== undefined ? { amount: job.amount } : { duration: job.seconds ?? 1 }),
    timeout: 30,
    // Samples every 100 ms so a run that ends early waits at most that long for its result.
    sampleInt: 100,
  });
  instance.on("response", (_client: unknown, statusCode: number) => {
    lastResponseAt = performance.now();
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const completed = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  const elapsedSeconds = Math.max(0.001, (lastResponseAt - startedAt) / 1000);
  return {
    completed,
    elapsedSeconds,
    requestsPerSecond: completed / elapsedSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.on("message", (message: { id: number; job: LoadJob }) => {
  run(message.job).then(
    (outcome) => process.send?.({ id: message.id, outcome }),
    (error: unknown) => process.send?.({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on("disconnect", () => process.exit(0));
