import type { Context } from "hono";
import * as z from "zod";
import {
  AppError,
  auditNotes,
  auditPageSchema,
  banInputSchema,
  banListItemSchema,
  banSchema,
  canModerate,
  decisionInputSchema,
  isId,
  messages,
  modCommentSchema,
  moderatorMeSchema,
  newId,
  queuePageSchema,
  threadIdSchema,
  highestRole,
} from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";
import { originGuard } from "../middleware/cors.ts";
import { validate } from "../middleware/validate.ts";
import { authenticateModerator, bearerKey, principalOf } from "../moderator-keys.ts";
import { decideComment } from "../moderation/decide.ts";
import { modView, modViews } from "../moderation/mod-views.ts";
import { dataRequestRoutes } from "./data-requests.ts";
import { moderationAtScaleRoutes } from "./moderation-at-scale.ts";
import { moderatorKeyRoutes, requireAdminSomewhere } from "./moderator-key-routes.ts";
import { limitQuery } from "./params.ts";
import { jsonBodyErrors, moderationErrors } from "./scopes.ts";
import { routeGroup, type RouteDef, type RouteGroup } from "./route-table.ts";

/** The request's own origin, as the browser on the review page sees it. */
function ownOrigin(c: Context): string {
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
  const proto = c.req.header("x-forwarded-proto") ?? new URL(c.req.url).protocol.replace(":", "");
  return host ? `${proto}://${host}` : new URL(c.req.url).origin;
}


const decisionBody = validate({ json: decisionInputSchema });
// The decision's body is checked before its thread id (the order clients have always seen).
const decisionThread = validate({ param: { threadId: threadIdSchema } });
const banBody = validate({ json: banInputSchema });

/**
 * Moderation routes. Check order: key (401), site (404), key covers the site (403).
 */
export function moderationRoutes(deps: ResolvedDeps): RouteGroup {
  const { store, now } = deps;
  const siteById = new Map(deps.sites.map((site) => [site.id, site]));
  const allOrigins = [...new Set([...deps.sites.flatMap((s) => s.origins), ...(deps.moderationOrigins ?? [])])];

  const routes: RouteDef[] = [
    {
      method: "get",
      path: "/v1/mod/me",
      summary: "Who the key belongs to, its role and which sites it covers (the review page's site picker)",
      auth: "moderatorKey",
      ok: { 200: { description: "The key's name, role and sites", schema: moderatorMeSchema } },
      errors: ["origin_not_allowed", "unauthorized"],
      handler: (c) => {
        const principal = c.var.principal;
        const sites = deps.sites.filter((site) => canModerate(principal, site.id)).map((site) => ({ id: site.id, name: site.name }));
        return c.json({ name: principal.who, role: highestRole(principal), sites });
      },
    },
    {
      method: "get",
      path: "/v1/mod/sites/{siteId}/queue",
      summary: "Comments awaiting a decision, oldest first",
      auth: "moderatorKey",
      validators: [limitQuery],
      ok: { 200: { description: "Oldest first", schema: queuePageSchema } },
      errors: [...moderationErrors, "validation_failed"],
      handler: async (c) => {
        const page = await store.listQueue(c.var.site.id, limitQuery.values(c).query.limit, c.req.query("cursor") ?? null);
        return c.json({ items: await modViews(store, page.items, now()), nextCursor: page.nextCursor });
      },
    },
    {
      method: "post",
      path: "/v1/mod/sites/{siteId}/threads/{threadId}/comments/{commentId}/decision",
      summary: "Approve, reject or mark a comment as spam; feature or unfeature a published one",
      auth: "moderatorKey",
      validators: [decisionBody, decisionThread],
      ok: { 200: { description: "Decided", schema: z.object({ comment: modCommentSchema }) } },
      errors: [...moderationErrors, ...jsonBodyErrors, "comment_not_found", "already_decided", "edit_conflict"],
      handler: async (c) => {
        const input = decisionBody.values(c).json;
        const commentId = c.req.param("commentId") ?? "";
        if (!isId(commentId)) throw new AppError("comment_not_found", messages.commentNotFound);
        const comment = await decideComment(deps, {
          site: c.var.site,
          threadId: decisionThread.values(c).param.threadId,
          commentId,
          action: input.action,
          note: input.note ?? null,
          moderator: c.var.principal.who,
        });
        return c.json({ comment: await modView(store, comment, now()) });
      },
    },
    {
      method: "get",
      path: "/v1/mod/sites/{siteId}/audit",
      summary: "The site's moderation log, newest first",
      auth: "moderatorKey",
      validators: [limitQuery],
      ok: { 200: { description: "Newest first", schema: auditPageSchema } },
      errors: [...moderationErrors, "validation_failed"],
      handler: async (c) => c.json(await store.listAudit(c.var.site.id, limitQuery.values(c).query.limit, c.req.query("cursor") ?? null)),
    },
    {
      method: "post",
      path: "/v1/mod/sites/{siteId}/bans",
      summary: "Ban the author of a comment (by author hash and IP hash); `purge: true` also rejects their published and pending comments",
      auth: "moderatorKey",
      validators: [banBody],
      ok: { 201: { description: "Banned (`purged`: how many comments the purge rejected, with `purge: true`)", schema: z.object({ ban: banSchema, purged: z.number().int().min(0).optional() }) } },
      errors: [...moderationErrors, ...jsonBodyErrors, "comment_not_found", "author_erased"],
      handler: async (c) => {
        const input = banBody.values(c).json;
        const site = c.var.site;
        const comment = isId(input.commentId) ? await store.getComment(site.id, input.threadId, input.commentId) : null;
        if (!comment) throw new AppError("comment_not_found", messages.commentNotFound);
        // An erased comment no longer knows its author: banning it would ban nobody (or everybody erased).
        if (comment.authorHash === "") throw new AppError("author_erased", messages.authorErased);
        const at = now();
        const ban = {
          id: newId(at.getTime()),
          reason: input.reason,
          createdAt: at.toISOString(),
          expiresAt: input.days ? new Date(at.getTime() + input.days * 86_400_000).toISOString() : null,
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
            moderator: c.var.principal.who,
            action: "ban",
            threadId: comment.threadId,
            commentId: comment.id,
            fromStatus: null,
            toStatus: null,
            note: auditNotes.ban(input.reason, ban.expiresAt),
          },
          auditId: newId(at.getTime()),
        });
        const answer = { ban: { id: ban.id, reason: ban.reason, createdAt: ban.createdAt, expiresAt: ban.expiresAt } };
        if (!input.purge) return c.json(answer, 201);
        const purged = await store.purgeAuthor({
          siteId: site.id,
          authorHash: comment.authorHash,
          moderator: c.var.principal.who,
          note: auditNotes.purge(ban.id),
          now: at,
          newId: () => newId(at.getTime()),
          onRejected: (rejected) => deps.readCache.invalidate(site.id, rejected.threadId),
        });
        return c.json({ ...answer, purged }, 201);
      },
    },
    {
      method: "get",
      path: "/v1/mod/sites/{siteId}/bans",
      summary: "Active bans",
      auth: "moderatorKey",
      ok: { 200: { description: "Active bans", schema: z.object({ items: z.array(banListItemSchema) }) } },
      errors: moderationErrors,
      handler: async (c) => c.json({ items: await store.listBans(c.var.site.id, now()) }),
    },
    {
      method: "delete",
      path: "/v1/mod/sites/{siteId}/bans/{banId}",
      summary: "Lift a ban",
      auth: "moderatorKey",
      ok: { 204: { description: "Lifted" } },
      errors: [...moderationErrors, "ban_not_found"],
      handler: async (c) => {
        const banId = c.req.param("banId") ?? "";
        if (!isId(banId)) throw new AppError("ban_not_found", messages.banNotFound);
        const at = now();
        await store.deleteBan(c.var.site.id, banId, at, {
          entry: {
            at: at.toISOString(),
            moderator: c.var.principal.who,
            action: "unban",
            threadId: "",
            commentId: "",
            fromStatus: null,
            toStatus: null,
            note: auditNotes.unban(banId),
          },
          id: newId(at.getTime()),
        });
        return c.body(null, 204);
      },
    },
    ...moderationAtScaleRoutes(deps),
    ...moderatorKeyRoutes(deps),
    ...dataRequestRoutes(deps),
  ];

  return routeGroup(routes, (app) => {
    app.use("/v1/mod/*", originGuard({ allowedOrigins: (c) => [...allOrigins, ownOrigin(c)] }));
    app.use("/v1/mod/*", async function authenticate(c, next) {
      if (c.req.method === "OPTIONS") return next();
      c.set("principal", principalOf(await authenticateModerator(bearerKey(c.req.header("authorization")), store, deps.devModeratorKey ?? null)));
      await next();
    });
    app.use("/v1/mod/keys", requireAdminSomewhere);
    app.use("/v1/mod/keys/*", requireAdminSomewhere);
    app.use("/v1/mod/sites/:siteId/*", async function authorizeSite(c, next) {
      if (c.req.method === "OPTIONS") return next();
      const site = siteById.get(c.req.param("siteId") ?? "");
      if (!site) throw new AppError("site_not_found", messages.siteNotFound);
      if (!canModerate(c.var.principal, site.id)) throw new AppError("forbidden", messages.forbidden);
      c.set("site", site);
      await next();
    });
    app.options("/v1/mod/*", (c) => c.body(null, 204));
  });
}
