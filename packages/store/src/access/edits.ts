import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { AppError, messages, type StoredComment } from "@comments/core";
import { commentSortPrefixes } from "../entities/comment.ts";
import { authorDeleteWrites, deletedMarkerKey, editWrites } from "../entities/comment-edit.ts";
import type { WriteItem } from "../entities/item.ts";
import { threadPartition } from "../entities/thread.ts";
import { cancellationCodes, storeBusy } from "../failures.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";
import { readComment } from "./comments.ts";

/** A reader's edits and deletes of their own comment (access pattern 15). */
export function editAccess(ctx: StoreContext) {
  const { tableName } = ctx;

  /** Runs a reader's write; a failed condition re-reads the comment to say why (`comment_not_found` or `edit_conflict`). */
  async function writeUnlessChanged(operation: string, current: StoredComment, writes: WriteItem[]): Promise<void> {
    try {
      // No request token: two racing edits must both reach their conditions (one wins), not be taken for retries.
      await ctx.transact(operation, writes);
    } catch (error) {
      if (!(error instanceof ConditionFailed)) {
        if (cancellationCodes(error)) throw storeBusy(error);
        throw error;
      }
      const now = await readComment(ctx, current.siteId, current.threadId, current.id);
      if (!now || now.deleted || now.status === "rejected" || now.status === "spam") {
        throw new AppError("comment_not_found", messages.commentNotFound);
      }
      throw new AppError("edit_conflict", messages.editConflict);
    }
  }

  return {
    /**
     * Writes the author's edit of `current` as `next` (in place, or out of the thread into the queue with the
     * count lowered). Throws `edit_conflict` when the comment changed since it was read (another edit, a flag,
     * a moderator's decision), `comment_not_found` when it is gone.
     */
    async editComment(current: StoredComment, next: StoredComment): Promise<void> {
      await writeUnlessChanged("editComment", current, editWrites(current, next));
    },

    /**
     * The author's delete of `current`: a placeholder when `placeholder` (published replies hang on it), else
     * removal with a marker; the thread count drops by one when it was published. Same errors as an edit.
     */
    async deleteOwnComment(current: StoredComment, options: { placeholder: boolean; at: Date }): Promise<void> {
      const writes = authorDeleteWrites(current, { placeholder: options.placeholder, at: options.at.toISOString() });
      await writeUnlessChanged("deleteOwnComment", current, writes);
    },

    /** True when the author removed this comment recently (a repeated delete is answered like the first). */
    async wasDeletedByAuthor(siteId: string, threadId: string, commentId: string): Promise<boolean> {
      const result = await ctx.send("wasDeletedByAuthor", new GetCommand({ TableName: tableName, Key: deletedMarkerKey({ siteId, threadId, commentId }) }));
      return result.Item !== undefined;
    },

    /** True when a published comment of the thread replies to `commentId` (Query of the published range, keys only). */
    async hasPublishedReplies(siteId: string, threadId: string, commentId: string): Promise<boolean> {
      let start: Record<string, unknown> | undefined;
      do {
        const result = await ctx.send(
          "hasPublishedReplies",
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :published)",
            FilterExpression: "parentId = :id",
            ExpressionAttributeValues: { ":pk": threadPartition({ siteId, threadId }), ":published": commentSortPrefixes.published, ":id": commentId },
            ProjectionExpression: "sk",
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        if ((result.Items ?? []).length > 0) return true;
        start = result.LastEvaluatedKey;
      } while (start);
      return false;
    },
  };
}
