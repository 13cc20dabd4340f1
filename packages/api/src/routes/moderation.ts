import { Hono, type Context } from "hono";
import {
  AppError,
  banInputSchema,
  decisionInputSchema,
  fieldsFromZodError,
  validationFailed,
  newId,
  threadIdSchema,
  toModComment,
  isId,
  type DecisionAction,
} from "@comments/core";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { dataRequestRoutes } from "./data-requests.ts";
import { parseLimit } from "./query.ts";
import { originGuard } from "../middleware/cors.ts";
import { readJson } from "../middleware/read-json.ts";
import { authenticateModerator, bearerKey, coversSite } from "../moderator-keys.ts";

const statusForAction: Record<DecisionAction, "published" | "rejected" | "spam"> = {
  approve: "published",
  reject: "rejected",
  spam: "spam",
};



/** The request's own origin, as the browser on the review page sees it. */
function ownOrigin(c: Context): string {
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
  const proto = c.req.header("x-forwarded-proto") ?? new URL(c.req.url).protocol.replace(":", "");
  return host ? `${proto}://${host}` : new URL(c.req.url).origin;
}

/**
 * Moderation routes. Check order: key (401), site (404), key covers the site (403).
 */
export function moderationRoutes(deps: ResolvedDeps) {
  const { store } = deps;
  const { now } = deps;
  const siteById = new Map(deps.sites.map((site) => [site.id, site]));
  const allOrigins = [...new Set([...deps.sites.flatMap((s) => s.origins), ...(deps.moderationOrigins ?? [])])];
  const app = new Hono<AppEnv>();

  app.use("/v1/mod/*", originGuard({ allowedOrigins: (c) => [...allOrigins, ownOrigin(c)] }));
  app.use("/v1/mod/*", async function authenticate(c, next) {
    if (c.req.method === "OPTIONS") return next();
    c.set("moderator", await authenticateModerator(bearerKey(c.req.header("authorization")), store, deps.devModeratorKey ?? null));
    await next();
  });
  app.use("/v1/mod/sites/:siteId/*", async function authorizeSite(c, next) {
    if (c.req.method === "OPTIONS") return next();
    const site = siteById.get(c.req.param("siteId") ?? "");
    if (!site) throw new AppError("site_not_found", "Unknown site.");
    if (!coversSite(c.var.moderator, site.id)) throw new AppError("forbidden", "This moderator key is not valid for this site.");
    c.set("site", site);
    await next();
  });
  app.options("/v1/mod/*", (c) => c.body(null, 204));

  /** Who the key belongs to and which sites it covers (the review page's site picker). */
  app.get("/v1/mod/me", (c) => {
    const moderator = c.var.moderator;
    const sites = deps.sites.filter((site) => coversSite(moderator, site.id)).map((site) => ({ id: site.id, name: site.name }));
    return c.json({ name: moderator.name, sites });
  });

  app.get("/v1/mod/sites/:siteId/queue", async (c) => {
    const page = await store.listQueue(c.var.site.id, parseLimit(c.req.query("limit")), c.req.query("cursor") ?? null);
    return c.json({ items: page.items.map(toModComment), nextCursor: page.nextCursor });
  });

  app.post("/v1/mod/sites/:siteId/threads/:threadId/comments/:commentId/decision", async (c) => {
    const threadId = threadIdSchema.safeParse(c.req.param("threadId"));
    const input = decisionInputSchema.safeParse(await readJson(c));
    if (!input.success) throw validationFailed(fieldsFromZodError(input.error));
    if (!threadId.success) throw validationFailed({ threadId: "Thread id must be 1 to 200 printable characters" });
    const commentId = c.req.param("commentId");
    if (!isId(commentId)) throw new AppError("comment_not_found", "Comment not found.");
    const at = now();
    const comment = await store.decide({
      siteId: c.var.site.id,
      threadId: threadId.data,
      commentId,
      toStatus: statusForAction[input.data.action],
      action: input.data.action,
      moderator: c.var.moderator.name,
      note: input.data.note ?? null,
      now: at,
      auditId: newId(at.getTime()),
    });
    return c.json({ comment: toModComment(comment) });
  });

  app.get("/v1/mod/sites/:siteId/audit", async (c) => {
    const page = await store.listAudit(c.var.site.id, parseLimit(c.req.query("limit")), c.req.query("cursor") ?? null);
    return c.json(page);
  });

  app.post("/v1/mod/sites/:siteId/bans", async (c) => {
    const input = banInputSchema.safeParse(await readJson(c));
    if (!input.success) throw validationFailed(fieldsFromZodError(input.error));
    const site = c.var.site;
    const comment = isId(input.data.commentId) ? await store.getComment(site.id, input.data.threadId, input.data.commentId) : null;
    if (!comment) throw new AppError("comment_not_found", "Comment not found.");
    // An erased comment no longer knows its author: banning it would ban nobody (or everybody erased).
    if (comment.authorHash === "") throw new AppError("author_erased", "This comment was erased; its author can no longer be identified.");
    const at = now();
    const ban = {
      id: newId(at.getTime()),
      reason: input.data.reason,
      createdAt: at.toISOString(),
      expiresAt: input.data.days ? new Date(at.getTime() + input.data.days * 86_400_000).toISOString() : null,
      threadId: comment.threadId,
      commentId: comment.id,
      authorName: comment.authorName,
    };
    await store.createBan({
      siteId: site.id,
      ban,
      authorHash: comment.authorHash,
      ipHash: comment.ipHash,
      audit: {
        at: ban.createdAt,
        moderator: c.var.moderator.name,
        action: "ban",
        threadId: comment.threadId,
        commentId: comment.id,
        fromStatus: null,
        toStatus: null,
        note: ban.expiresAt ? `${input.data.reason} (until ${ban.expiresAt})` : input.data.reason,
      },
      auditId: newId(at.getTime()),
    });
    return c.json({ ban: { id: ban.id, reason: ban.reason, createdAt: ban.createdAt, expiresAt: ban.expiresAt } }, 201);
  });

  app.get("/v1/mod/sites/:siteId/bans", async (c) => {
    return c.json({ items: await store.listBans(c.var.site.id, now()) });
  });

  app.delete("/v1/mod/sites/:siteId/bans/:banId", async (c) => {
    const banId = c.req.param("banId");
    if (!isId(banId)) throw new AppError("ban_not_found", "Ban not found.");
    const at = now();
    await store.deleteBan(c.var.site.id, banId, at, {
      entry: {
        at: at.toISOString(),
        moderator: c.var.moderator.name,
        action: "unban",
        threadId: "",
        commentId: "",
        fromStatus: null,
        toStatus: null,
        note: `ban ${banId} lifted`,
      },
      id: newId(at.getTime()),
    });
    return c.body(null, 204);
  });

  app.route("/", dataRequestRoutes(deps));
  return app;
}
