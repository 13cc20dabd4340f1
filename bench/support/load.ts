import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** One autocannon run: a fixed duration, or a fixed number of requests. */
export interface LoadJob {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** Request body; every `[<id>]` in it is replaced by a fresh id per request. */
  body?: string;
  connections: number;
  seconds?: number;
  amount?: number;
}

/** What a run measured. */
export interface LoadOutcome {
  completed: number;
  elapsedSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** A load generator in its own Node process (autocannon), driven over IPC. */
export interface LoadGenerator {
  run(job: LoadJob): Promise<LoadOutcome>;
  stop(): Promise<void>;
}

/** Starts the load generator process. */
export function startLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(fileURLToPath(new URL("./load-child.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (o: LoadOutcome) => void; reject: (e: Error) => void }>();
  child.on("message", (message: { id: number; outcome?: LoadOutcome; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.outcome) entry?.resolve(message.outcome);
    else entry?.reject(new Error(`load generator: ${message.error}`));
  });
  child.on("exit", (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`load generator exited (${code})`));
    waiting.clear();
  });
  return {
    run(job) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ id, job });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.disconnect();
      await exited;
    },
  };
}
