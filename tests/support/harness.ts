import { inject } from "vitest";
import { randomUUID } from "node:crypto";
import { demoSite, parseSitesConfig, type SiteConfigInput } from "@comments/core";
import { createApp, type AppDeps } from "@comments/api";
import { createClients, createStore, ensureTable, type Store } from "@comments/store";

/** The DynamoDB Local endpoint started by the global setup. */
export const dynamoEndpoint = () => inject("dynamoEndpoint");

/** A fresh table in the shared DynamoDB Local, named for isolation. */
export async function freshStore(options: Parameters<typeof createStore>[2] = {}): Promise<{ store: Store; tableName: string; clients: ReturnType<typeof createClients> }> {
  const clients = createClients({ endpoint: dynamoEndpoint() });
  const tableName = `t-${randomUUID()}`;
  await ensureTable(clients.client, tableName);
  return { store: createStore(clients.documentClient, tableName, options), tableName, clients };
}

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
  const sites = parseSitesConfig({ sites: options.sites ?? [site()] }, { env: options.secrets ?? {} });
  const app = createApp({
    ipHashKey: "test-ip-hash-key-0123456789",
    devModeratorKey: devKey,
    clientIp: (c) => c.req.header("x-test-ip") ?? options.ip ?? "203.0.113.7",
    ...options,
    store,
    sites,
  });
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
