import { getRequestListener, type ServerType } from "@hono/node-server";
import { createServer } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Hono } from "hono";
import { demoSite, type SiteConfigInput } from "@comments/core";
import { clientIpResolver, createApp, createRuntime, defaultReadCacheMs, webhookListenerForSites, type AppDeps } from "@comments/api";
import { createMailServices, devMailRoutes, localMailQueue, type LocalMailQueue, type MailServices } from "@comments/api/mail";
import { createClients, createStore, ensureTable, type Store } from "@comments/store";
import { demoSignInRoutes, demoSignInSite, demoSsoSecretEnv, devDemoSsoSecret } from "./demo-sign-in.ts";
import { startEmbeddedStore, type EmbeddedStore } from "./embedded-store.ts";
import { startProfile } from "./start-profile.ts";
import { advertiseEndpoint } from "./local-store.ts";
import { localStoreRegion, readStoreCredentials, sharedStoreCredentials } from "./store-credentials.ts";

/** Options for {@link startLocalServer}; every field has a local default. */
export interface LocalServerOptions {
  /** Port to listen on (0 picks a free one). Default 3000. */
  port?: number;
  /** Folder for the embedded store's data and the local IP-hash key; null keeps everything in memory. */
  dataDir?: string | null;
  /** Use an existing DynamoDB-compatible endpoint instead of starting the embedded store. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Sites to serve; default: `SITES_JSON` / `SITES_FILE` from `env`, else the `demo` site. */
  sites?: SiteConfigInput[];
  /** The key valid for every site; default `MODERATOR_KEY`, else the dev key on loopback (null: none). */
  moderatorKey?: string | null;
  /** The embedded store, already starting (`npm start` starts it while the app loads); stopped with the server. */
  embeddedStore?: Promise<EmbeddedStore>;
  /** Environment (captcha secrets, SITES_FILE, STAGE, TRUSTED_PROXY_HOPS). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Extra dependencies for the app (clock, fetch, listeners, phases). */
  deps?: Partial<AppDeps>;
  /** Extra routes served next to the API (widget, pages). */
  routes?: Hono[];
  /** Mail parts given directly (tests: a transport, a quick retry policy, the timer's period). */
  mail?: Pick<Parameters<typeof createMailServices>[0], "mailer" | "retry"> & { tickMs?: number };
}

/** A running local server. */
export interface LocalServer {
  url: string;
  port: number;
  endpoint: string;
  tableName: string;
  store: Store;
  app: ReturnType<typeof createApp>;
  moderatorKey: string | null;
  /** Where the data lives (null: in memory or an outside store). */
  dataDir: string | null;
  /** The ids of the sites served. */
  siteIds: string[];
  /** `STAGE=production`: no default key, no demo pages. */
  production: boolean;
  /** True when this start moved an earlier release's shared database to the installation's credentials. */
  migratedSharedDatabase: boolean;
  /** The mail side: transport, sender, worker, and the background queue the app feeds. */
  mail: MailServices & { queue: LocalMailQueue };
  /** Stops the HTTP server and the embedded store (if we started it). */
  stop(): Promise<void>;
}

const malformedRequest = { error: { code: "validation_failed", message: "The request URL or Host header is malformed." } };

/**
 * Starts the one-machine service: embedded DynamoDB Local (unless an endpoint is given), the table from
 * `table.ts`, and the app on 127.0.0.1/localhost.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const env = options.env ?? process.env;
  // Refuse an exposed server without a real key before anything starts.
  const profile = startProfile(env, options.moderatorKey);
  const dataDir = options.dataDir === null ? null : resolve(options.dataDir ?? env.DATA_DIR ?? ".data");
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const outsideEndpoint = options.dynamoEndpoint ?? env.DYNAMODB_ENDPOINT;
  let embedded: EmbeddedStore | null = null;
  if (options.embeddedStore) embedded = await options.embeddedStore;
  else if (!outsideEndpoint) embedded = await startEmbeddedStore(dataDir);
  const endpoint = embedded?.endpoint ?? outsideEndpoint!;
  // An outside endpoint may be this installation's store (started by another process): use its credentials.
  const credentials = embedded?.credentials ?? (dataDir ? readStoreCredentials(dataDir) : null) ?? sharedStoreCredentials;

  // Command-line tools (moderator keys, imports) reach the same embedded store while we run.
  const withdrawEndpoint = embedded && dataDir ? advertiseEndpoint(dataDir, endpoint) : () => undefined;
  let httpServer: ServerType | null = null;
  try {
    const tableName = options.tableName ?? env.TABLE_NAME ?? "comments";
    const { client, documentClient } = createClients({ endpoint, credentials, region: localStoreRegion });
    await ensureTable(client, tableName);
    const store = createStore(documentClient, tableName);

    // Listen first (port 0 picks a free one), then build the app: the demo site's origins name the port.
    let handle: ((request: Request, bindings: unknown) => Response | Promise<Response>) | null = null;
    const listening = await new Promise<ServerType>((done, fail) => {
      const hostname = profile.hostname;
      const listener = getRequestListener(
        (request, bindings) => (handle ? handle(request, bindings) : new Response("starting", { status: 503 })),
        // A request Node cannot even turn into a URL (bad Host header, backslashes) still gets the error shape.
        { hostname, errorHandler: () => Response.json(malformedRequest, { status: 400 }) },
      );
      const server = createServer(listener);
      server.once("error", fail);
      server.listen(options.port ?? Number(env.PORT ?? 3000), hostname, () => done(server));
    });
    httpServer = listening;
    const port = (listening.address() as { port: number }).port;
    // The composition root, as on Lambda: sites (the demo site by default), secrets, IP-hash key, outside phases.
    // The built-in demo site (no sites given) signs readers in with a development secret, outside production only.
    const demoSignIn = !profile.production && !options.sites && !env.SITES_JSON && !env.SITES_FILE;
    const demoSsoSecret = env[demoSsoSecretEnv] || devDemoSsoSecret;
    const runtime = createRuntime({
      env,
      ...(options.sites ? { sites: options.sites } : {}),
      ...(demoSignIn ? { secrets: { [demoSsoSecretEnv]: demoSsoSecret } } : {}),
      defaultSites: () => [demoSignIn ? demoSignInSite(port) : demoSite(port)],
      // The key file in DATA_DIR, made on first start (without a data folder: a key for this process only).
      ipHashKeySource: { dataDir, createIfMissing: true },
      store,
      // READ_CACHE_MS, default one second: a hot thread's page comes from memory, dropped by this server's own writes.
      readCacheDefaultMs: defaultReadCacheMs,
    });
    const { sites } = runtime;
    const moderatorKey = profile.moderatorKey;

    // Webhooks go out in the background: retries never hold up the reader's answer.
    const queueListener = options.deps?.queueListener ?? webhookListenerForSites(sites, env, { background: true, reviewUrl: `http://localhost:${port}/moderate` });

    // Mail: SMTP with SMTP_URL, else the dev mailbox at /dev/mail; sent from a background queue after each write.
    const localUrl = `http://localhost:${port}`;
    const mail = createMailServices({
      runtime: "local",
      env,
      store,
      sites,
      ipHashKey: runtime.ipHashKey!,
      publicUrl: env.PUBLIC_URL?.trim() || localUrl,
      reviewUrl: `${env.PUBLIC_URL?.trim() || localUrl}/moderate`,
      logger: runtime.logger,
      ...(options.deps?.now ? { now: options.deps.now } : {}),
      ...(options.mail?.mailer ? { mailer: options.mail.mailer } : {}),
      ...(options.mail?.retry ? { retry: options.mail.retry } : {}),
    });
    const mailQueue = localMailQueue(mail.worker, { logger: runtime.logger, ...(options.mail?.tickMs ? { tickMs: options.mail.tickMs } : {}) });

    const app = createApp(
      runtime.appDeps({
        devModeratorKey: moderatorKey,
        clientIp: clientIpResolver({ peer: (c) => getConnInfo(c).remote.address, trustedProxyHops: runtime.trustedProxyHops }),
        ...(queueListener ? { queueListener } : {}),
        mailEvents: mailQueue,
        ...options.deps,
      }),
    );
    if (demoSignIn) app.route("/", demoSignInRoutes(demoSsoSecret));
    // The dev mailbox shows what would have been sent; a production start has no such page.
    if (mail.devMailbox && !profile.production) app.route("/dev/mail", devMailRoutes(mail.devMailbox));
    for (const routes of options.routes ?? []) app.route("/", routes);
    handle = (request, bindings) => app.fetch(request, bindings);

    return {
      url: `http://localhost:${port}`,
      port,
      endpoint,
      tableName,
      store,
      app,
      moderatorKey,
      dataDir: embedded ? dataDir : null,
      siteIds: sites.map((site) => site.id),
      production: profile.production,
      migratedSharedDatabase: embedded?.migrated ?? false,
      mail: { ...mail, queue: mailQueue },
      async stop() {
        mailQueue.stop();
        await mailQueue.idle();
        await mail.mailer.close?.();
        await new Promise<void>((done) => {
          listening.close(() => done());
          (listening as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        client.destroy();
        withdrawEndpoint();
        await embedded?.local.stop();
      },
    };
  } catch (error) {
    // A bad sites file must not leave the port or the store behind.
    (httpServer as ServerType | null)?.close();
    withdrawEndpoint();
    await embedded?.local.stop();
    throw error;
  }
}
