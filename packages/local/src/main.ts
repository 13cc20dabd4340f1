/**
 * `npm start`: the whole service on one machine. Prints the URLs (and, on loopback, the dev moderator key);
 * stops the embedded store on Ctrl-C, on SIGTERM and on a crash. The store starts first and the app loads while
 * Java boots, so start-up costs about the store's own start.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { resolve } from "node:path";
import { startEmbeddedStore, type EmbeddedStore } from "./embedded-store.ts";
import { StartupRefused, startProfile } from "./start-profile.ts";

type Server = Awaited<ReturnType<typeof import("./server.ts").startLocalServer>>;
let server: Server | null = null;
let store: Promise<EmbeddedStore> | null = null;
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (server) await server.stop().catch(() => undefined);
  else await store?.then((started) => started.local.stop()).catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("uncaughtException", (error) => {
  console.error(error);
  void shutdown(1);
});
process.on("unhandledRejection", (error) => {
  console.error(error);
  void shutdown(1);
});

const env = process.env;
try {
  const profile = startProfile(env);
  const dataDir = resolve(env.DATA_DIR ?? ".data");
  if (!env.DYNAMODB_ENDPOINT) {
    const classDataDir = env.CLASS_DATA_DIR ? resolve(env.CLASS_DATA_DIR) : undefined;
    store = startEmbeddedStore(dataDir, { classDataSharing: true, ...(classDataDir ? { classDataDir } : {}) });
  }
  store?.catch(() => undefined); // awaited by startLocalServer; a failure is reported there
  const [{ startLocalServer }, { localRoutes }] = await Promise.all([import("./server.ts"), import("./routes.ts")]);
  server = await startLocalServer({
    dataDir,
    routes: await localRoutes({ demoPages: profile.demoPages }),
    ...(store ? { embeddedStore: store } : {}),
  });
} catch (error) {
  console.error(error instanceof StartupRefused ? error.message : `Could not start: ${(error as Error).message}`);
  await shutdown(1);
}
if (server) {
  const url = server.url;
  const data = server.dataDir ? `data in ${server.dataDir} (embedded store ${server.endpoint}, reachable only with this installation's credentials)` : `store ${server.endpoint}, table ${server.tableName}`;
  if (server.production) {
    console.log(`Comment service (production) serving sites ${server.siteIds.join(", ")} on http://${env.HOST ?? "127.0.0.1"}:${server.port}: API, /embed.js, /count.js, review page /moderate; ${data}.`);
  } else {
    const key = server.moderatorKey === null ? "(none)" : startProfile(env).loopback ? server.moderatorKey : "(from MODERATOR_KEY)";
    console.log(`Comment service running at ${url}
  Demo article:   ${url}/
  Review page:    ${url}/moderate
  Widget script:  ${url}/embed.js
  API:            ${url}/v1/sites/demo/config  (OpenAPI: ${url}/openapi.json)
  Store:          ${server.endpoint} (table ${server.tableName})
  Data:           ${server.dataDir ?? "(outside store)"}
  Moderator key:  ${key}
Press Ctrl-C to stop.`);
  }
  if (server.migratedSharedDatabase) console.log(`Moved the store's data to this installation's own credentials (${server.dataDir}/dynamodb.credentials.json); back that file up with the data.`);
}
export {};
