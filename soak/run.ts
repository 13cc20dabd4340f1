/**
 * `npm run soak`: a bounded, loopback-only soak of the local server. For SOAK_SECONDS (default and maximum 60)
 * it runs a mixed load of thread reads (with and without If-None-Match), counts, config, comment posts (with
 * Idempotency-Key replays, queued, spam and invalid ones), flags and moderation (queue, decisions, audit), then
 * prints what it saw. It fails (exit code 1) on any 5xx or network error, on a moderator key in the server's
 * output, or when the server's heap after GC keeps growing in the second half of the run.
 *
 * The server runs in a child process (soak/server.ts) so its memory is measured, not the load generator's.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

const seconds = Math.min(60, Math.max(1, Number(process.env.SOAK_SECONDS ?? 60) || 60));
const concurrency = Math.min(64, Math.max(1, Number(process.env.SOAK_CONCURRENCY ?? 8) || 8));
const moderatorKey = `soak-${randomUUID()}`;
const origin = "http://soak.example";
const threads = Array.from({ length: 20 }, (_, i) => `soak/article-${i}`);

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** Statuses and latencies per kind of request. */
const seen = new Map<string, { statuses: Map<number, number>; latencies: number[] }>();
const problems: string[] = [];
let requests = 0;

function record(kind: string, status: number, ms: number) {
  let entry = seen.get(kind);
  if (!entry) seen.set(kind, (entry = { statuses: new Map(), latencies: [] }));
  entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
  entry.latencies.push(ms);
  requests += 1;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function startServer(): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    env: { ...process.env, SOAK_MODERATOR_KEY: moderatorKey },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`soak server exited (code ${code}) before it was ready:\n${output}`)));
    child.on("message", (message: { type: string; port?: number }) => {
      if (message.type === "ready") resolve({ child, port: message.port!, output: () => output });
    });
  });
}

function memoryOf(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    const listener = (message: { type: string; usage?: Memory }) => {
      if (message.type !== "memory") return;
      child.off("message", listener);
      resolve(message.usage!);
    };
    child.on("message", listener);
    child.send({ type: "memory" });
  });
}

/** One request; a 5xx or a network error is a problem, everything else is counted. */
async function call(base: string, kind: string, path: string, init: RequestInit = {}): Promise<Response | null> {
  const started = performance.now();
  try {
    const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    record(kind, res.status, performance.now() - started);
    if (res.status >= 500) problems.push(`${kind} ${path}: ${res.status} ${body.slice(0, 200)}`);
    return new Response(res.status === 304 || res.status === 204 ? null : body, { status: res.status, headers: res.headers });
  } catch (error) {
    record(kind, 0, performance.now() - started);
    problems.push(`${kind} ${path}: ${(error as Error).name} ${(error as Error).message}`);
    return null;
  }
}

const json = { "content-type": "application/json", origin };
const asModerator = { authorization: `Bearer ${moderatorKey}`, origin };

/** One worker: a weighted mix of what readers, bots and moderators do. */
async function worker(base: string, id: number, until: number) {
  const etags = new Map<string, string>();
  let n = 0;
  while (Date.now() < until) {
    n += 1;
    const thread = pick(threads);
    const threadPath = `/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments`;
    const roll = Math.random();
    if (roll < 0.4) {
      const etag = etags.get(thread);
      const res = await call(base, etag ? "read thread (If-None-Match)" : "read thread", `${threadPath}?limit=50`, { headers: { origin, ...(etag ? { "if-none-match": etag } : {}) } });
      const tag = res?.headers.get("etag");
      if (tag) etags.set(thread, tag);
    } else if (roll < 0.5) {
      await call(base, "counts", `/v1/sites/demo/counts?${threads.slice(0, 10).map((t) => `thread=${encodeURIComponent(t)}`).join("&")}`, { headers: { origin } });
    } else if (roll < 0.53) {
      await call(base, "config", "/v1/sites/demo/config", { headers: { origin } });
    } else if (roll < 0.75) {
      const key = `soak-${id}-${n}`;
      const flavour = Math.random();
      const body = {
        author: { name: `Reader ${id}`, ...(flavour < 0.3 ? { email: `reader${id}@soak.example` } : {}) },
        body: flavour < 0.05 ? "" : `Comment ${id}/${n} with **markdown** and a link https://example.com/${n}`,
        captchaToken: flavour < 0.25 ? "test:0.5" : "test:0.9",
        ...(flavour > 0.97 ? { website: "http://bot.example" } : {}),
      };
      const init = { method: "POST", headers: { ...json, "idempotency-key": key }, body: JSON.stringify(body) };
      await call(base, "post comment", threadPath, init);
      // A client that did not see the answer sends it again: the replay must give the same answer.
      if (Math.random() < 0.1) await call(base, "post comment (replay)", threadPath, init);
    } else if (roll < 0.8) {
      const page = await call(base, "read thread", `${threadPath}?limit=5`, { headers: { origin } });
      const first = page && page.status === 200 ? ((await page.json()) as { comments: { id: string }[] }).comments[0] : undefined;
      if (first) {
        await call(base, "flag", `${threadPath}/${first.id}/flags`, { method: "POST", headers: json, body: JSON.stringify({ reason: pick(["spam", "abuse", "off_topic", "other"]) }) });
      }
    } else if (roll < 0.92) {
      const queue = await call(base, "moderation queue", "/v1/mod/sites/demo/queue?limit=10", { headers: asModerator });
      const items = queue && queue.status === 200 ? ((await queue.json()) as { items: { id: string; threadId: string }[] }).items : [];
      const item = items.length > 0 ? pick(items) : undefined;
      if (item) {
        await call(base, "decision", `/v1/mod/sites/demo/threads/${encodeURIComponent(item.threadId)}/comments/${item.id}/decision`, {
          method: "POST",
          headers: { ...asModerator, "content-type": "application/json" },
          body: JSON.stringify({ action: pick(["approve", "approve", "reject", "spam"]), note: "soak" }),
        });
      }
    } else if (roll < 0.95) {
      await call(base, "audit", "/v1/mod/sites/demo/audit?limit=20", { headers: asModerator });
    } else {
      // Refusals the service answers all day long: wrong keys, foreign origins, unknown routes, broken JSON.
      const refusal = pick([
        () => call(base, "refused: wrong key", "/v1/mod/sites/demo/queue", { headers: { authorization: `Bearer ${moderatorKey}x`, origin } }),
        () => call(base, "refused: foreign origin", threadPath, { headers: { origin: "https://evil.example" } }),
        () => call(base, "refused: unknown route", "/v1/nothing-here"),
        () => call(base, "refused: broken JSON", threadPath, { method: "POST", headers: json, body: "{not json" }),
      ]);
      await refusal();
    }
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  console.log(`Soak: ${seconds} s, ${concurrency} concurrent clients, loopback only.`);
  const { child, port, output } = await startServer();
  const base = `http://127.0.0.1:${port}`;
  const samples: { at: number; memory: Memory }[] = [];
  const startedAt = Date.now();
  const until = startedAt + seconds * 1000;
  samples.push({ at: 0, memory: await memoryOf(child) });
  const sampler = setInterval(() => void memoryOf(child).then((memory) => samples.push({ at: (Date.now() - startedAt) / 1000, memory })), Math.max(1000, (seconds * 1000) / 12));
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(base, id, until)));
  } finally {
    clearInterval(sampler);
  }
  const elapsed = (Date.now() - startedAt) / 1000;
  samples.push({ at: elapsed, memory: await memoryOf(child) });
  child.send({ type: "stop" });
  await new Promise((done) => child.once("exit", done));

  console.log(`\n${requests} requests in ${elapsed.toFixed(1)} s (${(requests / elapsed).toFixed(0)} req/s)\n`);
  console.log("kind                               count   p50 ms   p95 ms   p99 ms   statuses");
  for (const [kind, entry] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...entry.latencies].sort((a, b) => a - b);
    const statuses = [...entry.statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(" ");
    console.log(
      `${kind.padEnd(34)} ${String(sorted.length).padStart(6)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 95).toFixed(1).padStart(8)} ${percentile(sorted, 99).toFixed(1).padStart(8)}   ${statuses}`,
    );
  }

  // Start = right after start-up; middle = the sample nearest half-time; end = after the last request.
  const start = samples[0]!;
  const middle = samples.reduce((best, s) => (Math.abs(s.at - elapsed / 2) < Math.abs(best.at - elapsed / 2) ? s : best), start);
  const end = samples.at(-1)!;
  console.log("\nserver memory (after a full GC)      rss        heapUsed   heapTotal  external");
  for (const [name, sample] of [["start", start], ["middle", middle], ["end", end]] as const) {
    console.log(`${`${name} (${sample.at.toFixed(0)} s)`.padEnd(36)} ${mib(sample.memory.rss).padEnd(10)} ${mib(sample.memory.heapUsed).padEnd(10)} ${mib(sample.memory.heapTotal).padEnd(10)} ${mib(sample.memory.external)}`);
  }

  // Flat = the heap left after a full GC does not keep growing once the server is warm (second half of the run).
  const growth = end.memory.heapUsed - middle.memory.heapUsed;
  const allowed = Math.max(8 * 1024 * 1024, middle.memory.heapUsed * 0.25);
  if (growth > allowed) problems.push(`server heap grew by ${mib(growth)} in the second half (more than ${mib(allowed)})`);
  if (output().includes(moderatorKey)) problems.push("the moderator key appeared in the server's output");
  if (requests === 0) problems.push("no requests were made");

  if (problems.length > 0) {
    console.error(`\nSOAK FAILED (${problems.length} problem${problems.length === 1 ? "" : "s"}):`);
    for (const problem of problems.slice(0, 20)) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.log("\nSoak passed: no 5xx, no network errors, heap flat, no key in the logs.");
  }
}

await main();
