import { Hono, type Context } from "hono";
import { AppError, type SiteConfig, type StoredComment } from "@comments/core";
import type { AppDeps, AppEnv } from "./deps.ts";
import { respondWithError } from "./error-mapper.ts";
import { createHasher } from "./hashing.ts";
import { comprehendToxicityPhase } from "./phases/comprehend-toxicity.ts";
import { externalHookPhase } from "./phases/external-hook.ts";
import { moderationRoutes } from "./routes/moderation.ts";
import { openApiDocument } from "./routes/openapi.ts";
import { publicRoutes } from "./routes/public.ts";

/**
 * Builds the Hono app with every route of the HTTP contract. The same app runs on Lambda
 * (`functions/api.ts`) and in the local server.
 * @example const app = createApp({ store, sites, ipHashKey: "…" }); await app.request("/healthz");
 */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? { error: (message, details) => console.error(JSON.stringify({ level: "error", message, ...details })) };
  const hasher = createHasher(deps.ipHashKey);
  const clientIp = (c: Context) => deps.clientIp?.(c) ?? "unknown";
  // Sites that configure `moderation.externalHook` get the hook phase without the host wiring it.
  const externalHook = deps.sites.some((site) => site.moderation.externalHook)
    ? [externalHookPhase({ ...(deps.fetch ? { fetch: deps.fetch } : {}), signingKey: (deps.secrets ?? process.env).WEBHOOK_SIGNING_KEY })]
    : [];
  // Likewise `moderation.toxicity` (Amazon Comprehend).
  const toxicity = deps.sites.some((site) => site.moderation.toxicity) ? [comprehendToxicityPhase({ logger })] : [];
  const extraPhases = [...externalHook, ...toxicity, ...(deps.extraPhases ?? [])];
  const now = deps.now ?? (() => new Date());
  const announceQueued = async (site: SiteConfig, comment: StoredComment) => {
    try {
      await deps.queueListener?.commentQueued(site, comment);
    } catch (error) {
      logger.error("queue listener failed", { site: site.id, comment: comment.id, cause: String(error) });
    }
  };
  const full = { ...deps, extraPhases, logger, hasher, clientIp, now, announceQueued };

  const app = new Hono<AppEnv>();
  app.onError((error, c) => respondWithError(c, error, logger));
  app.notFound(() => {
    throw new AppError("not_found", "No such route.");
  });

  app.get("/healthz", async (c) => {
    await deps.store.ping();
    return c.json({ ok: true });
  });
  let openApi: unknown;
  app.get("/openapi.json", (c) => c.json((openApi ??= openApiDocument())));

  app.route("/", publicRoutes(full));
  app.route("/", moderationRoutes(full));
  return app;
}
