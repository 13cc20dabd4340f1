import { isId, type SiteConfig } from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";
import { checkOwner, findComment, ownComment, type OwnerCredentials } from "./comment-owner.ts";

/** An author's delete as the route hands it over. */
export interface DeleteRequest extends OwnerCredentials {
  site: SiteConfig;
  threadId: string;
  commentId: string;
}

/**
 * An author's delete. A comment already deleted by its author is answered the same (204) again. A published
 * comment with published replies stays as a placeholder so the conversation reads on; otherwise it leaves the
 * thread. The thread count drops by one either way (when it was published).
 */
export async function deleteComment(deps: ResolvedDeps, request: DeleteRequest): Promise<void> {
  const { site } = request;
  const { store } = deps;
  const now = deps.now();
  const found = await findComment(deps, site.id, request.threadId, request.commentId);
  if (found?.deleted) return;
  if (!found && isId(request.commentId) && (await store.wasDeletedByAuthor(site.id, request.threadId, request.commentId))) return;
  const current = ownComment(found);
  checkOwner(deps, site, current, request, "delete", now);
  const placeholder = current.status === "published" && (await store.hasPublishedReplies(site.id, current.threadId, current.id));
  try {
    await store.deleteOwnComment(current, { placeholder, at: now });
    deps.readCache.invalidate(site.id, current.threadId);
  } catch (error) {
    // A racing delete of the same comment by its author has done what this one would.
    const after = await store.getComment(site.id, request.threadId, request.commentId).catch(() => undefined);
    if (after?.deleted || (after === null && (await store.wasDeletedByAuthor(site.id, request.threadId, request.commentId)))) return;
    throw error;
  }
}
