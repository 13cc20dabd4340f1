import { parseSitesConfig } from "@comments/core";
import { createApp } from "@comments/api";
import type { Store } from "@comments/store";
import { benchModeratorKey, benchSite } from "./environment.ts";

/** The app the local server serves, built on `store` and driven through `app.request()` (no sockets). */
export function inProcessApp(store: Store) {
  return createApp({
    store,
    sites: parseSitesConfig({ sites: [benchSite] }, { env: {} }),
    ipHashKey: "bench-ip-hash-key-0123456789",
    devModeratorKey: benchModeratorKey,
    clientIp: () => "198.51.100.7",
  });
}

/** A JSON POST through `app.request()`. */
export async function postJson(app: ReturnType<typeof inProcessApp>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
