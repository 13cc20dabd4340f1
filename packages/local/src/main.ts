/**
 * `npm start`: the whole service on one machine. Prints the URLs and the dev moderator key; stops the
 * embedded store on Ctrl-C, on SIGTERM and on a crash.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { startLocalServer } = await import("./server.ts");
const { localRoutes } = await import("./routes.ts");

let server: Awaited<ReturnType<typeof startLocalServer>> | null = null;
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await server?.stop().catch(() => undefined);
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

try {
  server = await startLocalServer({ routes: await localRoutes() });
} catch (error) {
  console.error(`Could not start: ${(error as Error).message}`);
  process.exit(1);
}
const url = server.url;
console.log(`Comment service running at ${url}
  Demo article:   ${url}/
  Review page:    ${url}/moderate
  Widget script:  ${url}/embed.js
  API:            ${url}/v1/sites/demo/config  (OpenAPI: ${url}/openapi.json)
  Store:          ${server.endpoint} (table ${server.tableName})
  Moderator key:  ${server.moderatorKey ?? "(none)"}
Press Ctrl-C to stop.`);
export {};
