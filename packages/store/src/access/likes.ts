import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { AppError } from "@comments/core";
import { itemToComment, publishedCommentKey } from "../entities/comment.ts";
import type { WriteItem } from "../entities/item.ts";
import { likeDelete, likePut } from "../entities/like.ts";
import { copyUpdate } from "../entities/page.ts";
import { likeWindow, likeWindowIncrement, rateLimited } from "../entities/rate-window.ts";
import { threadVersionBump } from "../entities/thread.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/** The comment item's likes moved by `delta`, conditional on the count read (so the top key stays exact). */
function likesCount(ref: { siteId: string; threadId: string; commentId: string }, seen: number, delta: 1 | -1): WriteItem {
  return {
    Update: {
      Key: publishedCommentKey(ref),
      UpdateExpression: "SET likes = :next",
      ConditionExpression: `#status = :published AND ${seen === 0 ? "(attribute_not_exists(likes) OR likes = :seen)" : "likes = :seen"}`,
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":published": "published", ":seen": seen, ":next": seen + delta },
    },
  };
}

/** Readers' likes (pattern 15 of `table.ts`). */
export function likeAccess(ctx: StoreContext) {
  return {
    /**
     * Likes (`liked` true) or unlikes a published comment for one reader; repeats change nothing. One GetItem
     * and ONE transaction (the reader's like item, the comment's count, its page copy, the thread's version,
     * the IP's like window). Throws `404 comment_not_found` for anything not published, `429 rate_limited`
     * past `perMinute` like requests of the IP in a minute.
     */
    async setLike(input: {
      siteId: string;
      threadId: string;
      commentId: string;
      /** Who likes: a keyed hash of the IP (guests) or of `sso:<sub>` (signed-in readers). */
      reader: string;
      ipHash: string;
      liked: boolean;
      perMinute: number;
      now: Date;
    }): Promise<{ likes: number; liked: boolean }> {
      const ref = { siteId: input.siteId, threadId: input.threadId, commentId: input.commentId };
      const window = likeWindow({ siteId: input.siteId, ipHash: input.ipHash, now: input.now });
      for (let attempt = 0; attempt < 8; attempt++) {
        const read = await ctx.send("setLike", new GetCommand({ TableName: ctx.tableName, Key: publishedCommentKey(ref), ConsistentRead: true }));
        if (!read.Item) throw new AppError("comment_not_found", "Comment not found.");
        const comment = itemToComment(read.Item);
        const seen = comment.likes ?? 0;
        const delta = input.liked ? 1 : -1;
        const next = Math.max(0, seen + delta);
        const writes: WriteItem[] = [
          input.liked ? likePut({ ...ref, reader: input.reader, at: input.now.toISOString() }) : likeDelete({ ...ref, reader: input.reader }),
          likesCount(ref, seen, delta),
          copyUpdate({ ...comment, rootId: comment.rootId ?? null }, { set: { l: next === 0 ? null : next } }),
          threadVersionBump(ref),
          likeWindowIncrement({ window, perMinute: input.perMinute }),
        ];
        try {
          await ctx.transact("setLike", writes);
          return { likes: next, liked: input.liked };
        } catch (error) {
          if (!(error instanceof ConditionFailed)) throw error;
          if (error.failedAt(4)) throw rateLimited(window.endsAt, input.now);
          // Already liked (or not liked): a repeat, nothing to change.
          if (error.failedAt(0)) return { likes: seen, liked: input.liked };
          // The count moved under us (another reader) or the comment left the published set: read again.
        }
      }
      throw new AppError("unavailable", "The store is busy. Please try again.", { retryAfter: 1 });
    },
  };
}
