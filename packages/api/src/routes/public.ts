import {
  AppError,
  commentInputSchema,
  countsSchema,
  fieldMessages,
  flagInputSchema,
  idempotencyKeySchema,
  isId,
  messages,
  postAnswerSchema,
  editAnswerSchema,
  editInputSchema,
  editTokenHeaderSchema,
  signedInCommentInputSchema,
  type CommentInput,
  repliesPageSchema,
  siteConfigResponseSchema,
  threadIdSchema,
  threadListSchema,
  threadPageSchema,
} from "@comments/core";
import type { Context } from "hono";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { sha256 } from "../hashing.ts";
import { originGuard } from "../middleware/cors.ts";
import { siteLoader } from "../middleware/site.ts";
import { readerSignIn } from "../middleware/reader.ts";
import { validate, type Validator } from "../middleware/validate.ts";
import { isThreadClosed } from "../pipeline/gates/index.ts";
import { deleteComment } from "../services/delete-comment.ts";
import { editComment } from "../services/edit-comment.ts";
import type { SsoReader } from "../auth/sso.ts";
import { postComment, signedInInput } from "../services/post-comment.ts";
import type { SubscribeRequest } from "../services/subscribe.ts";
import { likeRoutes } from "./likes.ts";
import { linkRoutes } from "./links.ts";
import { commentIdParamSchema, encodeRepliesCursor, encodeThreadCursor, limitQuery, repliesCursorQuery, sortQuery, threadCursorQuery, threadParam } from "./params.ts";
import { jsonBodyErrors, publicErrors } from "./scopes.ts";
import { routeGroup, type RouteDef, type RouteGroup } from "./route-table.ts";
import { isSubscriptionLink, subscriptionRoutes } from "./subscriptions.ts";

/** Browsers and CloudFront may keep a thread page this long (the API is the source of truth). */
const threadCacheControl = "public, max-age=0, s-maxage=5, stale-while-revalidate=30";

/** The thread page's ETag: changes when the published set, the closed flag or the page asked for changes. */
function threadEtag(version: number, count: number, closed: boolean, limit: number, page: string): string {
  return `"${sha256(`${version}|${count}|${closed}|${limit}|${page}`).slice(0, 27)}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}


/**
 * The body of a comment post, with its path and `Idempotency-Key`: every problem in one `400`, under its dotted
 * field path. The body's length limit is the site's, so it is checked once the body has parsed.
 */
/** What every comment body is checked for beyond its schema: the site's length limit and, on a post, the page's origin. */
const bodyLengthCheck = ({ json }: { json?: { body: string; page?: { url: string } | undefined } }, c: Context<AppEnv>) => {
  const max = c.var.site.limits.maxBodyLength;
  const problems: Record<string, string> = {};
  if (json && [...json.body].length > max) problems.body = fieldMessages.bodyTooLong(max);
  if (json?.page && !c.var.site.origins.includes(new URL(json.page.url).origin)) problems["page.url"] = fieldMessages.pageUrlOrigin;
  return problems;
};

const guestPost = validate(
  { param: { threadId: threadIdSchema }, header: { "Idempotency-Key": idempotencyKeySchema }, json: commentInputSchema },
  {
    check: (values, c) => ({
      ...bodyLengthCheck(values, c),
      ...(values.json?.notify && !values.json.author.email ? { notify: fieldMessages.notifyNeedsEmail } : {}),
    }),
  },
);

/** A signed-in reader's post: no author (the token names them), a captcha token only when the site asks for one. */
const signedInPost = validate(
  { param: { threadId: threadIdSchema }, header: { "Idempotency-Key": idempotencyKeySchema }, json: signedInCommentInputSchema },
  {
    check: (values, c) => {
      const missingCaptcha = c.var.site.auth.captchaForSignedIn && values.json && !values.json.captchaToken;
      const notifyWithoutEmail = values.json?.notify && !c.var.reader?.email;
      return {
        ...bodyLengthCheck(values, c),
        ...(missingCaptcha ? { captchaToken: fieldMessages.captchaTokenRequired } : {}),
        ...(notifyWithoutEmail ? { notify: fieldMessages.notifyNeedsEmail } : {}),
      };
    },
  },
);

/** The post's validator: the guest body, or the signed-in one once the reader's token has been verified. */
const postRequest: Validator<typeof guestPost.targets> = {
  targets: guestPost.targets,
  middleware: (c, next) => (c.var.reader ? signedInPost : guestPost).middleware(c, next),
  values: (c) => guestPost.values(c),
};

/** `{commentId}` of an author's edit or delete, with the guest's `X-Edit-Token` (a signed-in author sends their Bearer token). */
const ownCommentTarget = { param: { threadId: threadIdSchema, commentId: commentIdParamSchema }, header: { "X-Edit-Token": editTokenHeaderSchema } };
const editRequest = validate({ ...ownCommentTarget, json: editInputSchema }, { check: bodyLengthCheck });
const deleteRequest = validate(ownCommentTarget);

/** Where mail asked for with `notify` goes: a signed-in reader's email from the token, else the guest's own. */
function subscribeRequest(notify: "replies" | "thread" | undefined, reader: SsoReader | null, guestEmail: string | undefined): SubscribeRequest | null {
  if (!notify) return null;
  if (reader) return reader.email ? { kind: notify, address: reader.email, verified: reader.emailVerified } : null;
  return guestEmail ? { kind: notify, address: guestEmail, verified: false } : null;
}

const threadList = validate({ query: { thread: threadListSchema } });
const flagBody = validate({ json: flagInputSchema });

/** Public routes (the widget's API), CORS-limited to each site's origins. */
export function publicRoutes(deps: ResolvedDeps): RouteGroup {
  const { store, now, readCache } = deps;

  const routes: RouteDef[] = [
    {
      method: "get",
      path: "/v1/sites/{siteId}/config",
      summary: "Site configuration for the widget",
      ok: { 200: { description: "Captcha provider and limits", schema: siteConfigResponseSchema } },
      errors: publicErrors,
      handler: (c) => {
        const site = c.var.site;
        c.header("Cache-Control", "public, max-age=60, s-maxage=60");
        return c.json({
          siteId: site.id,
          captcha: { provider: site.captcha.provider, siteKey: site.captcha.siteKey },
          limits: { maxBodyLength: site.limits.maxBodyLength },
          auth: { signIn: site.auth.ssoSecretEnv !== null, loginUrl: site.auth.loginUrl, captchaForSignedIn: site.auth.captchaForSignedIn },
          liveUpdateSeconds: site.liveUpdateSeconds,
        });
      },
    },
    {
      method: "get",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments",
      summary: "A page of a thread: top-level comments in the asked order, each followed by its replies",
      validators: [threadParam, limitQuery, threadCursorQuery, sortQuery],
      ok: { 200: { description: "A page of published comments", schema: threadPageSchema }, 304: { description: "Not modified" } },
      errors: [...publicErrors, "validation_failed", "comment_not_found"],
      handler: async (c) => {
        const site = c.var.site;
        const { threadId } = threadParam.values(c).param;
        const { limit } = limitQuery.values(c).query;
        const after = threadCursorQuery.values(c).query.cursor;
        const { sort: asked, around } = sortQuery.values(c).query;
        if (after && asked && after.sort !== asked) {
          throw new AppError("validation_failed", fieldMessages.cursorInvalid, { fields: { cursor: fieldMessages.cursorInvalid } });
        }
        const sort = asked ?? after?.sort ?? site.defaultSort;
        const at = now();
        c.header("Cache-Control", threadCacheControl);
        const pageKey = `${c.req.query("cursor") ?? ""}|${sort}|${around ?? ""}`;

        const ifNoneMatch = c.req.header("if-none-match");
        if (ifNoneMatch) {
          const thread = await readCache.read(site.id, threadId, "#thread", () => store.getThread(site.id, threadId));
          const etag = threadEtag(thread.version, thread.commentCount, isThreadClosed(site, thread.firstCommentAt, at), limit, pageKey);
          if (etagMatches(ifNoneMatch, etag)) {
            c.header("ETag", etag);
            return c.body(null, 304);
          }
        }

        // Same site, thread and query string: served from this process's read cache while fresh (READ_CACHE_MS).
        const page = await readCache.read(site.id, threadId, new URL(c.req.url).search, () =>
          around
            ? store.readPageAround(site.id, threadId, { sort, limit, commentId: around })
            : store.readThreadPage(site.id, threadId, { sort, limit, after: after ? { ...after, sort } : null }),
        );
        const closed = isThreadClosed(site, page.thread.firstCommentAt, at);
        c.header("ETag", threadEtag(page.thread.version, page.thread.commentCount, closed, limit, pageKey));
        return c.json({
          thread: { siteId: site.id, threadId, commentCount: page.thread.commentCount, closed, url: page.thread.url, title: page.thread.title },
          comments: page.comments,
          nextCursor: encodeThreadCursor(page.next),
          ...(page.featured ? { featured: page.featured } : {}),
        });
      },
    },
    {
      method: "get",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments/{rootId}/replies",
      summary: "Replies of a top-level comment beyond those its thread page shows, oldest first",
      validators: [threadParam, repliesCursorQuery],
      ok: { 200: { description: "A page of replies", schema: repliesPageSchema } },
      errors: [...publicErrors, "validation_failed"],
      handler: async (c) => {
        const rootId = c.req.param("rootId") ?? "";
        c.header("Cache-Control", threadCacheControl);
        if (!isId(rootId)) return c.json({ comments: [], nextCursor: null });
        const page = await store.readReplies(c.var.site.id, threadParam.values(c).param.threadId, { rootId, afterId: repliesCursorQuery.values(c).query.cursor });
        return c.json({ comments: page.comments, nextCursor: encodeRepliesCursor(page.nextAfterId) });
      },
    },
    ...likeRoutes(deps),
    {
      method: "post",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments",
      summary: "Post a comment (published, queued, or refused)",
      auth: "readerToken",
      validators: [postRequest],
      ok: {
        201: { description: "Published", schema: postAnswerSchema },
        202: { description: "Awaiting moderation", schema: postAnswerSchema },
      },
      errors: [
        ...publicErrors,
        ...jsonBodyErrors,
        "idempotency_key_reused",
        "nudge",
        "author_banned",
        "thread_closed",
        "rate_limited",
        "parent_not_found",
        "captcha_failed",
        "captcha_score_too_low",
        "duplicate_comment",
        "unavailable",
      ],
      handler: async (c) => {
        const reader = c.var.reader ?? null;
        const { param, header, json, rawJson } = reader ? signedInPost.values(c) : guestPost.values(c);
        const answer = await postComment(deps, {
          site: c.var.site,
          threadId: param.threadId,
          input: reader ? signedInInput(reader, json) : (json as CommentInput),
          rawJson,
          idempotencyKey: header["Idempotency-Key"],
          ip: deps.clientIp(c),
          reader,
          subscribe: subscribeRequest(json.notify, reader, reader ? undefined : (json as CommentInput).author.email),
        });
        return c.json(answer.body, answer.status);
      },
    },
    {
      method: "patch",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments/{commentId}",
      summary: "Edit one's own comment (X-Edit-Token, or the author's sign-in)",
      auth: "readerToken",
      validators: [editRequest],
      ok: { 200: { description: "The comment as edited (pending when the edit sent it to moderation)", schema: editAnswerSchema } },
      errors: [...publicErrors, ...jsonBodyErrors, "comment_not_found", "not_author", "edit_window_closed", "author_banned", "edit_limit", "edit_conflict", "unavailable"],
      handler: async (c) => {
        const { param, header, json } = editRequest.values(c);
        const answer = await editComment(deps, {
          site: c.var.site,
          threadId: param.threadId,
          commentId: param.commentId,
          body: json.body,
          editToken: header["X-Edit-Token"],
          reader: c.var.reader ?? null,
          ip: deps.clientIp(c),
        });
        return c.json(answer.body, answer.status);
      },
    },
    {
      method: "delete",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments/{commentId}",
      summary: "Delete one's own comment (a placeholder stays when it has replies)",
      auth: "readerToken",
      validators: [deleteRequest],
      ok: { 204: { description: "Deleted (also when it already was)" } },
      errors: [...publicErrors, "validation_failed", "comment_not_found", "not_author", "edit_window_closed", "edit_conflict", "unavailable"],
      handler: async (c) => {
        const { param, header } = deleteRequest.values(c);
        await deleteComment(deps, {
          site: c.var.site,
          threadId: param.threadId,
          commentId: param.commentId,
          editToken: header["X-Edit-Token"],
          reader: c.var.reader ?? null,
        });
        return c.body(null, 204);
      },
    },
    {
      method: "get",
      path: "/v1/sites/{siteId}/counts",
      summary: "Published comment counts of up to 100 threads",
      validators: [threadList],
      ok: { 200: { description: "Published comment counts", schema: countsSchema } },
      errors: [...publicErrors, "validation_failed"],
      handler: async (c) => {
        const threads = threadList.values(c).query.thread;
        c.header("Cache-Control", threadCacheControl);
        return c.json({ counts: threads.length > 0 ? await store.countComments(c.var.site.id, threads) : {} });
      },
    },
    {
      method: "post",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments/{commentId}/flags",
      summary: "Flag a published comment",
      validators: [threadParam, flagBody],
      ok: { 202: { description: "Flag recorded" } },
      errors: [...publicErrors, ...jsonBodyErrors, "comment_not_found"],
      handler: async (c) => {
        const site = c.var.site;
        const commentId = c.req.param("commentId") ?? "";
        if (!isId(commentId)) throw new AppError("comment_not_found", messages.commentNotFound);
        const result = await store.addFlag({
          siteId: site.id,
          threadId: threadParam.values(c).param.threadId,
          commentId,
          ipHash: deps.hasher.ip(deps.clientIp(c)),
          reason: flagBody.values(c).json.reason,
          threshold: site.moderation.flagThreshold,
          now: now(),
        });
        // A flag that queues the comment takes it off the page.
        if (result.queued) deps.readCache.invalidate(site.id, threadParam.values(c).param.threadId);
        if (result.queued && result.comment) await deps.announceQueued(site, result.comment);
        return c.json({ ok: true }, 202);
      },
    },
    ...subscriptionRoutes(deps),
    ...linkRoutes(deps),
  ];

  return routeGroup(routes, (app) => {
    app.use("/v1/sites/:siteId/*", siteLoader(deps.sites));
    app.use("/v1/sites/:siteId", siteLoader(deps.sites));
    const siteOrigins = originGuard({ allowedOrigins: (c) => c.var.site.origins });
    // The links in mails are opened from mail clients and our own pages (whose form posts from the API's
    // origin, or "null"): the token in the link is what authorizes them, not the Origin.
    app.use("/v1/sites/:siteId/*", (c, next) => (isSubscriptionLink(c.req.path) ? next() : siteOrigins(c, next)));
    app.use("/v1/sites/:siteId", originGuard({ allowedOrigins: (c) => c.var.site.origins }));
    app.use("/v1/sites/:siteId/*", readerSignIn(deps));
    // Preflight answers come from the origin guard; any other OPTIONS path under a site is unknown.
    app.options("/v1/sites/:siteId/*", (c) => c.body(null, 204));
  });
}
