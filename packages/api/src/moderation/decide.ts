import { isFeatureAction, newId, statusForDecision, type DecisionAction, type SiteConfig, type StoredComment } from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";
import { afterDecision } from "./after-decision.ts";

/** One moderator's decision on one comment, as the single and the bulk decision routes take it. */
export interface DecisionRequest {
  site: SiteConfig;
  threadId: string;
  commentId: string;
  action: DecisionAction;
  note: string | null;
  moderator: string;
}

/**
 * Applies a decision: `feature` / `unfeature` change the thread's featured list (published comments only), the
 * others the comment's status; both audited in their own transaction. What follows a stored decision (cached
 * pages dropped, mail) runs here too, so the two routes cannot drift apart.
 */
export async function decideComment(deps: Pick<ResolvedDeps, "store" | "now" | "readCache" | "mailEvents">, request: DecisionRequest): Promise<StoredComment> {
  const { site, threadId, commentId, action, note, moderator } = request;
  const at = deps.now();
  if (isFeatureAction(action)) {
    const comment = await deps.store.setFeatured({
      siteId: site.id,
      threadId,
      commentId,
      featured: action === "feature",
      audit: {
        entry: { at: at.toISOString(), moderator, action, threadId, commentId, fromStatus: "published", toStatus: "published", note },
        id: newId(at.getTime()),
      },
    });
    deps.readCache.invalidate(site.id, threadId);
    return comment;
  }
  const comment = await deps.store.decide({
    siteId: site.id,
    threadId,
    commentId,
    toStatus: statusForDecision[action],
    action,
    moderator,
    note,
    now: at,
    auditId: newId(at.getTime()),
  });
  afterDecision(deps, site, comment);
  return comment;
}
