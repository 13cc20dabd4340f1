import { toModComment, type ModComment, type StoredComment } from "@comments/core";
import type { Store } from "@comments/store";

/**
 * The opaque reference of an author on a site (`GET …/authors/{ref}/comments`): the base64url of the author's
 * keyed hash. Moderators already see the author's email; the ref only lets them ask for the same author again.
 */
export const authorRef = (authorHash: string) => Buffer.from(authorHash, "utf8").toString("base64url");

/** The author hash a ref stands for, or null when the ref is not one we hand out. */
export function authorHashOfRef(ref: string): string | null {
  if (!/^[A-Za-z0-9_-]{4,200}$/.test(ref)) return null;
  const hash = Buffer.from(ref, "base64url").toString("utf8");
  return /^[\x21-\x7E]{1,150}$/.test(hash) && authorRef(hash) === ref ? hash : null;
}

/**
 * Moderators' views of a page of comments with their context (thread, parent, author counts, ban), read
 * for the whole page at once (one BatchGetItem per 100 keys).
 */
export async function modViews(store: Store, comments: readonly StoredComment[], now: Date): Promise<ModComment[]> {
  const context = await store.modContext(comments, now);
  return comments.map((comment) => {
    const found = context.get(comment.id)!;
    return toModComment(comment, { ...found, author: { ...found.author, ref: comment.authorHash ? authorRef(comment.authorHash) : null } });
  });
}

/** One comment's moderator view. */
export const modView = async (store: Store, comment: StoredComment, now: Date): Promise<ModComment> => (await modViews(store, [comment], now))[0]!;
