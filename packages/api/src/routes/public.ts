import { Hono } from "hono";
import {
  AppError,
  flagInputSchema,
  fieldsFromZodError,
  validationFailed,
  threadIdSchema,
  isId,
} from "@comments/core";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { parseLimit } from "./query.ts";
import { sha256 } from "../hashing.ts";
import { readJson } from "../middleware/read-json.ts";
import { originGuard } from "../middleware/cors.ts";
import { siteLoader } from "../middleware/site.ts";
import { isThreadClosed, postComment } from "../services/post-comment.ts";

/** Browsers and CloudFront may keep a thread page this long (the API is the source of truth). */
const threadCacheControl = "public, max-age=0, s-maxage=5, stale-while-revalidate=30";

function parseThreadId(raw: string): string {
  const result = threadIdSchema.safeParse(raw);
  if (!result.success) throw validationFailed({ threadId: result.error.issues[0]?.message ?? "Invalid thread id" });
  return result.data;
}


/** A thread cursor is the base64url of the last comment id of the previous page. */
function decodeThreadCursor(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const id = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? Buffer.from(raw, "base64url").toString("utf8") : "";
  if (!isId(id)) throw validationFailed({ cursor: "Invalid cursor" });
  return id;
}
const encodeThreadCursor = (id: string | null) => (id === null ? null : Buffer.from(id).toString("base64url"));


/** The thread page's ETag: changes when the published set, the closed flag or the page asked for changes. */
function threadEtag(version: number, count: number, closed: boolean, limit: number, cursor: string | undefined): string {
  return `"${sha256(`${version}|${count}|${closed}|${limit}|${cursor ?? ""}`).slice(0, 27)}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/** Public routes (the widget's API), CORS-limited to each site's origins. */
export function publicRoutes(deps: ResolvedDeps) {
  const { store } = deps;
  const { now } = deps;
  const app = new Hono<AppEnv>();

  app.use("/v1/sites/:siteId/*", siteLoader(deps.sites));
  app.use("/v1/sites/:siteId", siteLoader(deps.sites));
  app.use("/v1/sites/:siteId/*", originGuard({ allowedOrigins: (c) => c.var.site.origins }));
  app.use("/v1/sites/:siteId", originGuard({ allowedOrigins: (c) => c.var.site.origins }));
  // Preflight answers come from the origin guard; any other OPTIONS path under a site is unknown.
  app.options("/v1/sites/:siteId/*", (c) => c.body(null, 204));

  app.get("/v1/sites/:siteId/config", (c) => {
    const site = c.var.site;
    c.header("Cache-Control", "public, max-age=60, s-maxage=60");
    return c.json({
      siteId: site.id,
      captcha: { provider: site.captcha.provider, siteKey: site.captcha.siteKey },
      limits: { maxBodyLength: site.limits.maxBodyLength },
    });
  });

  app.get("/v1/sites/:siteId/threads/:threadId/comments", async (c) => {
    const site = c.var.site;
    const threadId = parseThreadId(c.req.param("threadId"));
    const limit = parseLimit(c.req.query("limit"));
    const rawCursor = c.req.query("cursor");
    const afterId = decodeThreadCursor(rawCursor);
    const at = now();
    c.header("Cache-Control", threadCacheControl);

    const ifNoneMatch = c.req.header("if-none-match");
    if (ifNoneMatch) {
      const thread = await store.getThread(site.id, threadId);
      const etag = threadEtag(thread.version, thread.commentCount, isThreadClosed(site, thread.firstCommentAt, at), limit, rawCursor);
      if (etagMatches(ifNoneMatch, etag)) {
        c.header("ETag", etag);
        return c.body(null, 304);
      }
    }

    const page = await store.readThreadPage(site.id, threadId, { limit, afterId });
    const closed = isThreadClosed(site, page.thread.firstCommentAt, at);
    c.header("ETag", threadEtag(page.thread.version, page.thread.commentCount, closed, limit, rawCursor));
    return c.json({
      thread: { siteId: site.id, threadId, commentCount: page.thread.commentCount, closed },
      comments: page.comments,
      nextCursor: encodeThreadCursor(page.nextAfterId),
    });
  });

  app.post("/v1/sites/:siteId/threads/:threadId/comments", async (c) => {
    const json = await readJson(c);
    const answer = await postComment(deps, {
      site: c.var.site,
      threadId: c.req.param("threadId") ?? "",
      json,
      idempotencyKey: c.req.header("idempotency-key"),
      ip: deps.clientIp(c),
    });
    return c.json(answer.body, answer.status);
  });

  app.get("/v1/sites/:siteId/counts", async (c) => {
    const site = c.var.site;
    const threads = c.req.queries("thread") ?? [];
    if (threads.length > 100) throw validationFailed({ thread: "Ask for at most 100 threads at once" });
    threads.forEach((id, index) => {
      if (!threadIdSchema.safeParse(id).success) throw validationFailed({ [`thread.${index}`]: "Thread id must be 1 to 200 printable characters" });
    });
    c.header("Cache-Control", threadCacheControl);
    return c.json({ counts: threads.length > 0 ? await store.countComments(site.id, threads) : {} });
  });

  app.post("/v1/sites/:siteId/threads/:threadId/comments/:commentId/flags", async (c) => {
    const site = c.var.site;
    const threadId = parseThreadId(c.req.param("threadId"));
    const commentId = c.req.param("commentId") ?? "";
    const json = await readJson(c);
    const input = flagInputSchema.safeParse(json);
    if (!input.success) throw validationFailed(fieldsFromZodError(input.error));
    if (!isId(commentId)) throw new AppError("comment_not_found", "Comment not found.");
    const result = await store.addFlag({
      siteId: site.id,
      threadId,
      commentId,
      ipHash: deps.hasher.ip(deps.clientIp(c)),
      reason: input.data.reason,
      threshold: site.moderation.flagThreshold,
      now: now(),
    });
    if (result.queued && result.comment) await deps.announceQueued(site, result.comment);
    return c.json({ ok: true }, 202);
  });

  return app;
}
