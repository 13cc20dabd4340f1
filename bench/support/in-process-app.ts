import { createApp, createRuntime } from "@comments/api";
import type { Store } from "@comments/store";
import { benchModeratorKey, benchSite } from "./environment.ts";

/** The app the local server serves, built on `store` and driven through `app.request()` (no sockets). */
export function inProcessApp(store: Store) {
  const runtime = createRuntime({ env: {}, sites: [benchSite], ipHashKey: "bench-ip-hash-key-0123456789", store });
  return createApp(runtime.appDeps({ devModeratorKey: benchModeratorKey, clientIp: () => "198.51.100.7" }));
}

/** A JSON POST through `app.request()`. */
export async function postJson(app: ReturnType<typeof inProcessApp>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
