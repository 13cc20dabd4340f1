import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { AppError, type AuditEntry, type StoredComment } from "@comments/core";
import { auditPut } from "../entities/audit.ts";
import { publishedCommentKey } from "../entities/comment.ts";
import type { Item, WriteItem } from "../entities/item.ts";
import { publicFields } from "../entities/page.ts";
import { featuredListPut, itemToThread, threadKey } from "../entities/thread.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";
import { readComment } from "./comments.ts";

/** How many featured comments a thread shows. */
export const maxFeatured = 3;

/** The thread's featured list as read, with its version (null: no thread item yet). */
async function readFeatured(ctx: StoreContext, ref: { siteId: string; threadId: string }) {
  const result = await ctx.send("readFeatured", new GetCommand({ TableName: ctx.tableName, Key: threadKey(ref), ConsistentRead: true }));
  const thread = itemToThread(result.Item, ref);
  return { featured: thread.featured, version: typeof result.Item?.version === "number" ? result.Item.version : null };
}

/** The comment item's `featuredAt`, set or removed, on a published comment only. */
const featuredAtWrite = (comment: StoredComment, at: string | null): WriteItem => ({
  Update: {
    Key: publishedCommentKey({ siteId: comment.siteId, threadId: comment.threadId, commentId: comment.id }),
    UpdateExpression: at === null ? "REMOVE featuredAt" : "SET featuredAt = :at",
    ConditionExpression: "#status = :published",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":published": "published", ...(at === null ? {} : { ":at": at }) },
  },
});

/** Takes a comment that left the published set out of its thread's featured list (retried on a lost race). */
export async function dropFeatured(ctx: StoreContext, comment: StoredComment): Promise<void> {
  const ref = { siteId: comment.siteId, threadId: comment.threadId };
  for (let attempt = 0; attempt < 5; attempt++) {
    const { featured, version } = await readFeatured(ctx, ref);
    if (!featured.some((fields) => fields.i === comment.id)) return;
    const write = featuredListPut({ ...ref, featured: featured.filter((fields) => fields.i !== comment.id), seenVersion: version });
    try {
      await ctx.send("dropFeatured", new UpdateCommand({ TableName: ctx.tableName, ...write.Update! } as never));
      return;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
    }
  }
}

/** Featured comments: the moderators' `feature` / `unfeature` decisions (pattern 9). */
export function featuredAccess(ctx: StoreContext) {
  return {
    /**
     * Puts a published comment at the head of its thread's featured list (at most 3 kept) or takes it out,
     * with its audit entry, in one transaction conditional on the thread's version (retried on a lost race).
     * Not published: `409 already_decided`; unknown: `404 comment_not_found`.
     */
    async setFeatured(input: {
      siteId: string;
      threadId: string;
      commentId: string;
      featured: boolean;
      audit: { entry: AuditEntry; id: string };
    }): Promise<StoredComment> {
      const ref = { siteId: input.siteId, threadId: input.threadId };
      for (let attempt = 0; attempt < 5; attempt++) {
        const comment = await readComment(ctx, input.siteId, input.threadId, input.commentId);
        if (!comment) throw new AppError("comment_not_found", "Comment not found.");
        if (comment.status !== "published") throw notPublished(comment);
        const { featured, version } = await readFeatured(ctx, ref);
        const others = featured.filter((fields) => fields.i !== comment.id);
        const list: Item[] = input.featured ? [publicFields(comment), ...others].slice(0, maxFeatured) : others;
        const at = input.featured ? input.audit.entry.at : null;
        try {
          await ctx.transact("setFeatured", [
            featuredListPut({ ...ref, featured: list, seenVersion: version }),
            featuredAtWrite(comment, at),
            auditPut({ siteId: input.siteId, entry: input.audit.entry, entryId: input.audit.id }),
          ]);
          return { ...comment, featuredAt: at };
        } catch (error) {
          if (!(error instanceof ConditionFailed)) throw error;
          // The thread or the comment changed meanwhile: read both again.
        }
      }
      throw new AppError("unavailable", "The store is busy. Please try again.", { retryAfter: 1 });
    },
  };
}

function notPublished(comment: StoredComment): AppError {
  return new AppError("already_decided", `Only a published comment can be featured (it is ${comment.status}).`, {
    extra: { status: comment.status, decidedBy: comment.decidedBy ?? null },
  });
}
