import { inject } from "vitest";
import { randomUUID } from "node:crypto";
import { demoSite, threadPageSchema, type PublicComment, type SiteConfigInput } from "@comments/core";
import { createApp, createRuntime, type AppDeps } from "@comments/api";
import { createClients, createStore, ensureTable, type Store } from "@comments/store";
import { startLocalServer, type LocalServer, type LocalServerOptions } from "@comments/local";

/** The DynamoDB Local endpoint started by the global setup. */
export const dynamoEndpoint = () => inject("dynamoEndpoint");

/** A fresh table in the shared DynamoDB Local, named for isolation. */
export async function freshStore(options: Parameters<typeof createStore>[2] = {}): Promise<{ store: Store; tableName: string; clients: ReturnType<typeof createClients> }> {
  const clients = createClients({ endpoint: dynamoEndpoint() });
  const tableName = `t-${randomUUID()}`;
  await ensureTable(clients.client, tableName);
  return { store: createStore(clients.documentClient, tableName, options), tableName, clients };
}

/** The IP-hash key of test apps; tools that hash authors (imports, erasure) must use the same one. */
export const testIpHashKey = "test-ip-hash-key-0123456789";

/** The dev key the test apps accept for every site. */
export const devKey = "test-moderator-key";

/** A site config with the test captcha and the given overrides (nested objects merge with defaults). */
export function site(overrides: Partial<SiteConfigInput> = {}): SiteConfigInput {
  return { ...demoSite(3000), origins: ["https://news.example"], ...overrides };
}

/** Options for {@link testApp}. */
export interface TestAppOptions extends Partial<Omit<AppDeps, "sites">> {
  sites?: SiteConfigInput[];
  /** The client IP every request appears to come from (default 203.0.113.7); a header `x-test-ip` overrides it. */
  ip?: string;
}

/**
 * The real app on a real store (DynamoDB Local), driven through `app.request()`.
 * @example const { app } = await testApp(); await app.request("/healthz");
 */
export async function testApp(options: TestAppOptions = {}) {
  const { store } = options.store ? { store: options.store } : await freshStore();
  // The same composition root as Lambda and the local server, with the test's parts in place of the environment's.
  const runtime = createRuntime({
    env: {},
    sites: options.sites ?? [site()],
    secrets: options.secrets ?? {},
    ipHashKey: testIpHashKey,
    store,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { sites } = runtime;
  const app = createApp(
    runtime.appDeps({
      devModeratorKey: devKey,
      clientIp: (c) => c.req.header("x-test-ip") ?? options.ip ?? "203.0.113.7",
      ...options,
      store,
      sites,
    }),
  );
  return { app, store, sites };
}

/** JSON POST helper. */
export async function postJson(
  app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A valid comment body with overrides. */
export function commentBody(overrides: Record<string, unknown> = {}) {
  return { author: { name: "Ann Reader" }, body: "A thoughtful comment.", captchaToken: "test:0.9", ...overrides };
}

/** Moderator auth header for the dev key. */
export const asModerator = (key = devKey) => ({ authorization: `Bearer ${key}` });

/**
 * The local server (API only unless `routes` are given) on a free port, on a fresh table of the test run's
 * DynamoDB Local, with the test dev key and an empty environment. Stop it in teardown.
 */
export function startApiServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  return startLocalServer({
    port: 0,
    dataDir: null,
    dynamoEndpoint: dynamoEndpoint(),
    tableName: `t-${randomUUID()}`,
    moderatorKey: devKey,
    env: {},
    ...options,
  });
}

/** GET a thread page of the `demo` site and parse it with the contract's schema (fails on anything but 200). */
export async function readThreadPage(app: { request: (path: string) => Response | Promise<Response> }, threadId: string) {
  const res = await app.request(`/v1/sites/demo/threads/${encodeURIComponent(threadId)}/comments`);
  if (res.status !== 200) throw new Error(`thread ${threadId}: HTTP ${res.status}`);
  return threadPageSchema.parse(await res.json());
}

/** The comment written by `name`; throws when there is none. */
export function commentBy(comments: PublicComment[], name: string): PublicComment {
  const found = comments.find((c) => c.author.name === name);
  if (!found) throw new Error(`no comment by ${name}`);
  return found;
}
