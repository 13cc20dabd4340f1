import { AppError, isId, messages, type SiteConfig } from "@comments/core";
import type { FeedEntry } from "@comments/store";
import type { Context } from "hono";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { atomFeed } from "../feeds/atom.ts";
import { threadParam } from "./params.ts";
import type { RouteDef } from "./route-table.ts";
import { publicErrors } from "./scopes.ts";

/** How many comments a feed carries (the latest ones). */
const feedSize = 50;

/** Feed readers and CDNs may keep a feed a little longer than a thread page. */
const feedCacheControl = "public, max-age=60, s-maxage=60";

/** A comment's permalink on this API (what a feed entry and the widget's "Link" action point to). */
export function permalinkUrl(requestUrl: string, siteId: string, commentId: string): string {
  return new URL(`/v1/sites/${encodeURIComponent(siteId)}/comments/${encodeURIComponent(commentId)}`, requestUrl).href;
}

function atomAnswer(c: Context<AppEnv>, site: SiteConfig, entries: FeedEntry[], head: { title: string; alternateUrl: string | null }, now: Date) {
  const selfUrl = new URL(c.req.url);
  selfUrl.search = "";
  const xml = atomFeed(
    { selfUrl: selfUrl.href, title: head.title, alternateUrl: head.alternateUrl, authorName: site.name, emptyUpdated: now.toISOString() },
    entries,
    (entry) => permalinkUrl(c.req.url, site.id, entry.id),
  );
  c.header("Cache-Control", feedCacheControl);
  return c.body(xml, 200, { "Content-Type": "application/atom+xml; charset=utf-8" });
}

/**
 * Routes that lead readers to comments from outside the widget: permalinks (302 to the comment on its page)
 * and Atom feeds. They need no Origin: links and feed readers send none.
 */
export function linkRoutes(deps: ResolvedDeps): RouteDef[] {
  const { store, now } = deps;
  return [
    {
      method: "get",
      path: "/v1/sites/{siteId}/comments/{commentId}",
      summary: "Permalink: redirects to the comment on its page",
      ok: { 302: { description: "`Location: <thread page>#comment-<id>`" } },
      errors: [...publicErrors, "comment_not_found"],
      handler: async (c) => {
        const commentId = c.req.param("commentId") ?? "";
        if (!isId(commentId)) throw new AppError("comment_not_found", messages.commentNotFound);
        const target = await store.findPermalink(c.var.site.id, commentId);
        if (!target?.pageUrl) throw new AppError("comment_not_found", messages.commentNotFound);
        // The stored address was parsed and normalized when posted (no CR/LF, http(s) only); parse it again anyway.
        const location = new URL(target.pageUrl);
        if (location.protocol !== "http:" && location.protocol !== "https:") throw new AppError("comment_not_found", messages.commentNotFound);
        location.hash = `comment-${commentId}`;
        c.header("Cache-Control", "public, max-age=300");
        return c.redirect(location.href, 302);
      },
    },
    {
      method: "get",
      path: "/v1/sites/{siteId}/comments.atom",
      summary: "Atom feed of the site's latest published comments",
      ok: { 200: { description: "Atom 1.0 (application/atom+xml), newest first" } },
      errors: publicErrors,
      handler: async (c) => {
        const site = c.var.site;
        const entries = await store.siteFeed(site.id, feedSize);
        return atomAnswer(c, site, entries, { title: `Comments on ${site.name}`, alternateUrl: site.origins[0] ?? null }, now());
      },
    },
    {
      method: "get",
      path: "/v1/sites/{siteId}/threads/{threadId}/comments.atom",
      summary: "Atom feed of a thread's latest published comments",
      validators: [threadParam],
      ok: { 200: { description: "Atom 1.0 (application/atom+xml), newest first" } },
      errors: [...publicErrors, "validation_failed"],
      handler: async (c) => {
        const site = c.var.site;
        const { threadId } = threadParam.values(c).param;
        const entries = await store.threadFeed(site.id, threadId, feedSize);
        // The newest entry's page is the thread's latest known address and title (no extra read for the thread item).
        const latest = entries.find((entry) => entry.pageUrl !== null);
        const title = latest?.pageTitle ?? threadId;
        return atomAnswer(c, site, entries, { title: `Comments on ${title}`, alternateUrl: latest?.pageUrl ?? null }, now());
      },
    },
  ];
}
