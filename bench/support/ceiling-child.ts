/**
 * The store's own ceiling, measured from a separate process: as many of one DynamoDB request shape as the store
 * answers with `concurrency` requests in flight, through the same store adapter the API uses (no HTTP, no app).
 * Driven over IPC by bench/scenarios/ceiling.ts.
 */
import { randomBytes } from "node:crypto";
import { createClients, createStore } from "@comments/store";
import { sampleComment } from "./seed.ts";

/** One ceiling run. */
export interface CeilingJob {
  kind: "read" | "post";
  endpoint: string;
  tableName: string;
  siteId: string;
  threadId: string;
  pageSize: number;
  concurrency: number;
  seconds: number;
  duplicateWindowMinutes: number;
}

/** What a ceiling run measured. */
export interface CeilingOutcome {
  completed: number;
  failed: number;
  requestsPerSecond: number;
}

const { client, documentClient } = createClients({ endpoint: process.argv[2] ?? "http://127.0.0.1:8000", requestTimeoutMs: 30_000 });

async function run(job: CeilingJob): Promise<CeilingOutcome> {
  const store = createStore(documentClient, job.tableName);
  let n = 0;
  // The transaction an HTTP post of the bench writes: comment, thread counter, author and rate windows, all
  // from one client address (so the same rate-window items), with the bench site's duplicate guard (off).
  const ipHash = randomBytes(16).toString("hex");
  const post = () => {
    const comment = sampleComment(job.siteId, job.threadId, n++, Date.now());
    return store.createComment(comment, {
      now: new Date(),
      rateLimit: { ipHash, perMinute: 1_000_000, perHour: 1_000_000 },
      duplicate: { digest: randomBytes(16).toString("hex"), windowMinutes: job.duplicateWindowMinutes },
    });
  };
  const read = () => store.readThreadPage(job.siteId, job.threadId, { sort: "oldest", limit: job.pageSize, after: null });
  const once = job.kind === "read" ? read : post;
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + job.seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      try {
        await once();
        completed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { completed, failed, requestsPerSecond: completed / elapsedSeconds };
}

process.on("message", (message: { id: number; job: CeilingJob }) => {
  run(message.job).then(
    (outcome) => process.send?.({ id: message.id, outcome }),
    (error: unknown) => process.send?.({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on("disconnect", () => {
  client.destroy();
  process.exit(0);
});
