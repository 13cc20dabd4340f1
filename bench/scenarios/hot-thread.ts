import { defaultReadCacheMs } from "@comments/api";
import { startLocalServer } from "../../packages/local/src/server.ts";
import { benchModeratorKey, benchSite, benchSiteId, benchIpHashKey } from "../support/environment.ts";
import type { ScenarioContext } from "./context.ts";
import { measureGet, type LoadFigures } from "./http-load.ts";

/** The hot-thread figures: the same page read with the read cache off (the main server) and on (a second server). */
export interface HotThreadFigures {
  readCacheMs: number;
  withoutCache: LoadFigures;
  withCache: LoadFigures;
  /** withCache ÷ withoutCache requests per second. */
  speedup: number;
}

/**
 * A breaking story: every reader asks for the same page of the same thread. Measured on the bench server (started
 * with `READ_CACHE_MS=0`, so its other figures are the store's) and on a second local server on the same table with
 * the default `READ_CACHE_MS`, one after the other with the same load.
 */
export async function hotThreadScenario(ctx: ScenarioContext, threadId: string): Promise<HotThreadFigures> {
  const cached = await startLocalServer({
    port: 0,
    dataDir: null,
    dynamoEndpoint: ctx.env.endpoint,
    tableName: ctx.env.server.tableName,
    moderatorKey: benchModeratorKey,
    env: { IP_HASH_KEY: benchIpHashKey, READ_CACHE_MS: String(defaultReadCacheMs) },
    sites: [benchSite],
  });
  try {
    const path = `/v1/sites/${benchSiteId}/threads/${encodeURIComponent(threadId)}/comments?limit=${ctx.config.pageSize}`;
    ctx.log(`hot thread: the same page, READ_CACHE_MS=0`);
    const withoutCache = await measureGet(ctx, `${ctx.env.baseUrl}${path}`);
    ctx.log(`hot thread: the same page, READ_CACHE_MS=${defaultReadCacheMs}`);
    const withCache = await measureGet(ctx, `http://127.0.0.1:${cached.port}${path}`);
    const speedup = Math.round((withCache.requestsPerSecond / Math.max(1, withoutCache.requestsPerSecond)) * 10) / 10;
    return { readCacheMs: defaultReadCacheMs, withoutCache, withCache, speedup };
  } finally {
    await cached.stop();
  }
}
