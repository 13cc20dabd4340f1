import type { StoredComment } from "@comments/core";
import { maxInlineReplies } from "@comments/store";

/**
 * Gives imported comments, before they are written, the root and placement that the layout pass at the end of
 * their thread's import will give them, so that pass only writes page items instead of rewriting every comment
 * record too. Right whenever comments come oldest first within a scope (our export, WordPress, Disqus); when not
 * (a reply before its root, a thread that already held comments), the layout pass rewrites the comments it must,
 * so a wrong guess costs a write, never correctness.
 */
export function createPlacementGuess() {
  const key = (threadId: string, id: string) => `${threadId}\n${id}`;
  /** Comment → the id of its root (itself for a top-level comment). */
  let rootOf = new Map<string, string>();
  /** Root → published replies placed inside its page item so far. */
  let inlineCount = new Map<string, number>();

  return {
    /** Sets `rootId` and `placement` of a comment whose `parentId` is final. */
    place(comment: StoredComment): void {
      const rootId = comment.parentId === null ? null : (rootOf.get(key(comment.threadId, comment.parentId)) ?? comment.parentId);
      rootOf.set(key(comment.threadId, comment.id), rootId ?? comment.id);
      comment.rootId = rootId;
      if (comment.status !== "published") {
        comment.placement = null;
        return;
      }
      if (rootId === null) {
        comment.placement = "root";
        return;
      }
      const inline = inlineCount.get(key(comment.threadId, rootId)) ?? 0;
      comment.placement = inline < maxInlineReplies ? "inline" : "outside";
      if (inline < maxInlineReplies) inlineCount.set(key(comment.threadId, rootId), inline + 1);
    },

    /** Forgets the scope that ended (replies never point across scopes). */
    reset(): void {
      rootOf = new Map();
      inlineCount = new Map();
    },
  };
}
