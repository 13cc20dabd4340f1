import { cpus, totalmem, platform, arch } from "node:os";
import type { SiteConfigInput } from "@comments/core";
import { createClients } from "@comments/store";
import { startDynamoDbLocal, type DynamoDbLocal } from "../../packages/local/src/dynamodb-local.ts";
import { startLocalServer, type LocalServer } from "../../packages/local/src/server.ts";

/** The site every load scenario uses: test captcha, rate limits and the duplicate guard lifted for the run. */
export const benchSiteId = "bench";
export const benchSite: SiteConfigInput = {
  id: benchSiteId,
  name: "Bench",
  origins: ["https://news.example"],
  captcha: { provider: "test" },
  rateLimit: { perMinute: 1_000_000, perHour: 1_000_000 },
  moderation: { duplicateWindowMinutes: 0 },
};

/** The IP-hash key of the bench servers. */
export const benchIpHashKey = "bench-ip-hash-key-0123456789";

/** The dev moderator key of the bench server. */
export const benchModeratorKey = "bench-moderator-key";

/** A DynamoDB Local (started here unless an endpoint is given) and the local server on a free port. */
export interface BenchEnvironment {
  endpoint: string;
  server: LocalServer;
  /** `http://127.0.0.1:<port>` (the server binds 127.0.0.1). */
  baseUrl: string;
  clients: ReturnType<typeof createClients>;
  stop(): Promise<void>;
}

/** Starts the store and the server the bench talks to. */
export async function startBenchEnvironment(options: { dynamoEndpoint?: string; tableName?: string } = {}): Promise<BenchEnvironment> {
  let dynamo: DynamoDbLocal | null = null;
  const endpoint = options.dynamoEndpoint ?? (dynamo = await startDynamoDbLocal()).endpoint;
  try {
    const server = await startLocalServer({
      port: 0,
      dataDir: null,
      dynamoEndpoint: endpoint,
      tableName: options.tableName ?? `bench-${Date.now()}`,
      moderatorKey: benchModeratorKey,
      // The read cache off: these figures are the store's; the hot-thread scenario measures the cache on its own server.
      env: { IP_HASH_KEY: benchIpHashKey, READ_CACHE_MS: "0" },
      sites: [benchSite],
    });
    // The bench's own client (seeding, counting) waits longer than the app's: batch writes queue up.
    const clients = createClients({ endpoint, requestTimeoutMs: 30_000 });
    return {
      endpoint,
      server,
      baseUrl: `http://127.0.0.1:${server.port}`,
      clients,
      async stop() {
        clients.client.destroy();
        await server.stop();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await dynamo?.stop();
    throw error;
  }
}

/** The machine the numbers were measured on. */
export function describeMachine() {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${arch()}`,
  };
}
