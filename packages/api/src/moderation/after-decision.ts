import type { SiteConfig, StoredComment } from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";

/**
 * What follows a stored moderation decision, for the single and the bulk decision routes alike: the thread's
 * cached pages are dropped (the comment may have appeared or gone), a publication may notify subscribers,
 * and a rejection may owe its author a statement of reasons. The mail events return at once (DESIGN §6.5).
 */
export function afterDecision(deps: Pick<ResolvedDeps, "readCache" | "mailEvents">, site: SiteConfig, comment: StoredComment & { fromStatus: StoredComment["status"] }): void {
  deps.readCache.invalidate(comment.siteId, comment.threadId);
  if (comment.status === "published" && comment.fromStatus !== "published") deps.mailEvents?.commentPublished(site, comment);
  deps.mailEvents?.commentDecided(site, comment, comment.fromStatus);
}
