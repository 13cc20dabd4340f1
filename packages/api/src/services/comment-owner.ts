import { AppError, isId, messages, type SiteConfig, type StoredComment } from "@comments/core";
import { isErased } from "@comments/store";
import type { SsoReader } from "../auth/sso.ts";
import type { ResolvedDeps } from "../deps.ts";
import { editableUntil, editTokenMatches } from "./edit-grant.ts";

/** How a reader proves a comment is theirs: the post's edit token (guests), or their sign-in token. */
export interface OwnerCredentials {
  /** `X-Edit-Token`, when sent. */
  editToken: string | undefined;
  /** The reader of a verified `Authorization: Bearer` token, when sent. */
  reader: SsoReader | null;
}

/** Reads the comment an edit or delete names (null for an id this service could not have made). */
export async function findComment(deps: Pick<ResolvedDeps, "store">, siteId: string, threadId: string, commentId: string): Promise<StoredComment | null> {
  return isId(commentId) ? deps.store.getComment(siteId, threadId, commentId) : null;
}

/** A comment the author may still act on: published or pending (rejected, spam and erased ones are not found). */
export function ownComment(comment: StoredComment | null): StoredComment {
  if (!comment || comment.status === "rejected" || comment.status === "spam" || comment.deleted || isErased(comment)) {
    throw new AppError("comment_not_found", messages.commentNotFound);
  }
  return comment;
}

/**
 * The window and ownership rules of an edit or delete (DESIGN.md §6.2): with `editWindowMinutes: 0` nobody edits
 * and guests cannot delete; otherwise the edit token or the author's sign-in must match (`403 not_author`), and
 * only a signed-in author may delete after the window closes (`403 edit_window_closed`).
 */
export function checkOwner(deps: Pick<ResolvedDeps, "hasher">, site: SiteConfig, comment: StoredComment, credentials: OwnerCredentials, action: "edit" | "delete", now: Date): void {
  const editingOff = site.moderation.editWindowMinutes === 0;
  if (action === "edit" && editingOff) throw windowClosed();
  const bySignIn = credentials.reader !== null && comment.authorVerified === true && comment.authorHash === deps.hasher.ssoAuthor(credentials.reader.sub);
  const byToken = editTokenMatches(credentials.editToken, comment.editTokenHash);
  if (!bySignIn && !byToken) {
    if (action === "delete" && editingOff && credentials.reader === null) throw windowClosed();
    throw new AppError("not_author", messages.notAuthor);
  }
  const open = !editingOff && now.getTime() < editableUntil(site, comment.createdAt).getTime();
  if (open || (action === "delete" && bySignIn)) return;
  throw windowClosed();
}

const windowClosed = () => new AppError("edit_window_closed", messages.editWindowClosed);
