/**
 * The server side of `npm run soak`: the local server (embedded in-memory DynamoDB Local, API only) in its own
 * process, so the soak measures this process's memory and not the load generator's. Talks to its parent over
 * IPC: sends `ready`, answers `memory` (after a full GC) and stops on `stop`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { startLocalServer } = await import("../packages/local/src/server.ts");

/** Messages from the load generator. */
type ParentMessage = { type: "memory" } | { type: "stop" };

const send = (message: unknown) => process.send?.(message);
if (!process.send) throw new Error("soak/server.ts runs as a child of soak/run.ts");

const server = await startLocalServer({
  port: 0,
  dataDir: null,
  env: {},
  moderatorKey: process.env.SOAK_MODERATOR_KEY ?? "soak-moderator-key",
  sites: [
    {
      id: "demo",
      origins: ["http://soak.example"],
      // One loopback address posts everything: limits that would stop a real reader are lifted here.
      rateLimit: { perMinute: 1_000_000, perHour: 1_000_000 },
    },
  ],
});

let stopping = false;
process.on("message", (message: ParentMessage) => {
  if (message.type === "memory") {
    (globalThis as { gc?: () => void }).gc?.();
    send({ type: "memory", usage: process.memoryUsage() });
  } else if (message.type === "stop" && !stopping) {
    stopping = true;
    void server.stop().finally(() => process.exit(0));
  }
});
// The parent going away must never leave the server (and its Java store) behind.
process.on("disconnect", () => {
  if (stopping) return;
  stopping = true;
  void server.stop().finally(() => process.exit(0));
});

send({ type: "ready", port: server.port });

export {};
