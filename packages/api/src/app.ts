import { Hono, type Context } from "hono";
import * as z from "zod";
import { AppError, messages, type SiteConfig, type StoredComment } from "@comments/core";
import type { AppDeps, AppEnv, ResolvedDeps } from "./deps.ts";
import { respondWithError } from "./error-mapper.ts";
import { createHasher } from "./hashing.ts";
import { jsonLogger } from "./logger.ts";
import { outsidePhasesFor } from "./pipeline/outside/registry.ts";
import { createThreadReadCache } from "./read-cache.ts";
import { moderationRoutes } from "./routes/moderation.ts";
import { openApiDocument } from "./routes/openapi.ts";
import { publicRoutes } from "./routes/public.ts";
import { routeGroup, type RouteDef } from "./routes/route-table.ts";

/** Fills in the defaults of {@link AppDeps}; nothing here reads `process.env` (the composition root does). */
function resolveDeps(deps: AppDeps): ResolvedDeps {
  const logger = deps.logger ?? jsonLogger;
  const sitePhases = deps.outsidePhases ?? outsidePhasesFor(deps.sites, { env: deps.secrets ?? {}, logger, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const extra = deps.extraPhases ?? [];
  const outsidePhases = extra.length === 0 ? sitePhases : (site: SiteConfig) => [...sitePhases(site), ...extra];
  const clientIp = (c: Context) => deps.clientIp?.(c) ?? "unknown";
  const announceQueued = async (site: SiteConfig, comment: StoredComment) => {
    try {
      await deps.queueListener?.commentQueued(site, comment);
    } catch (error) {
      logger.error("queue listener failed", { site: site.id, comment: comment.id, cause: String(error) });
    }
  };
  const readCache = deps.readCache ?? createThreadReadCache({ ttlMs: 0 });
  return { ...deps, logger, hasher: createHasher(deps.ipHashKey), clientIp, now: deps.now ?? (() => new Date()), outsidePhases, announceQueued, readCache };
}

/**
 * Builds the Hono app with every route of the HTTP contract. The same app runs on Lambda
 * (`functions/api.ts`) and in the local server; both get their deps from the composition root (runtime.ts).
 * @example const app = createApp({ store, sites, ipHashKey: "…" }); await app.request("/healthz");
 */
export function createApp(deps: AppDeps) {
  const full = resolveDeps(deps);
  let openApi: unknown;
  const system: RouteDef[] = [
    {
      method: "get",
      path: "/healthz",
      summary: "Health: the store answers",
      ok: { 200: { description: "The store answers", schema: z.object({ ok: z.literal(true) }) } },
      errors: ["unavailable"],
      handler: async (c) => {
        await deps.store.ping();
        return c.json({ ok: true });
      },
    },
    {
      method: "get",
      path: "/openapi.json",
      summary: "This document",
      ok: { 200: { description: "The OpenAPI 3.1 document of every route" } },
      handler: (c) => c.json((openApi ??= openApiDocument(routes))),
    },
  ];
  const groups = [routeGroup(system), publicRoutes(full), moderationRoutes(full)];
  /** The one route table: what the app mounts is what the OpenAPI document lists. */
  const routes = groups.flatMap((group) => group.routes);

  const app = new Hono<AppEnv>();
  app.onError((error, c) => respondWithError(c, error, full.logger));
  app.notFound(() => {
    throw new AppError("not_found", messages.notFound);
  });
  for (const group of groups) app.route("/", group.app);
  return app;
}
