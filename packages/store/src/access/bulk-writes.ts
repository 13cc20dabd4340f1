import { BatchWriteCommand, DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry, StoredComment } from "@comments/core";
import { auditPut } from "../entities/audit.ts";
import { authorKey, publishedCountIncrement } from "../entities/author.ts";
import { banAuthorScrub, banPartition } from "../entities/ban.ts";
import { copyUpdate } from "../entities/page.ts";
import { commentToItem, erasedBodyHtml, erasedAuthorName, erasedCommentItem, erasurePut, isCommentItem, isErased, isPublishedItem } from "../entities/comment.ts";
import type { WriteItem } from "../entities/item.ts";
import { isThreadItem, itemToThread, threadPartition, threadRecount, threadVersionBump, type ThreadRecord } from "../entities/thread.ts";
import { untilProcessed } from "../failures.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";
import { queryPartition } from "./bulk-reads.ts";
import { dropFeatured } from "./featured.ts";
import { layoutPass, relayoutThread, type LayoutResult } from "./layout.ts";

/** The outcome of `recountThread`. */
export interface RecountResult extends ThreadRecord {
  /** True when the stored counters changed. */
  changed: boolean;
  /** What the layout pass before the count changed. */
  layout: LayoutResult;
}

const batchWriteSize = 25;

/** Writes for imports and readers' data requests; batches of 25 with unprocessed items retried with backoff. */
export function bulkWrites(ctx: StoreContext) {
  return {
    /**
     * Writes new comment items with BatchWriteItem (25 per call), retrying unprocessed items. Each item carries
     * `importedAt` (so stream consumers can tell an import from a reader's post). Counters are not touched: call
     * `recountThread` for each thread afterwards.
     */
    async putComments(comments: StoredComment[], importedAt: string): Promise<void> {
      for (let start = 0; start < comments.length; start += batchWriteSize) {
        const items = comments
          .slice(start, start + batchWriteSize)
          .map((comment) => ({ PutRequest: { Item: { ...(isErased(comment) ? erasedCommentItem(comment) : commentToItem(comment)), importedAt } } }));
        await untilProcessed(items, async (pending) => {
          const result = await ctx.send("putComments", new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending } }));
          return (result.UnprocessedItems?.[ctx.tableName] as typeof pending | undefined) ?? [];
        });
      }
    },

    /** Rebuilds a thread's page items from its comment items (pattern 16; see `relayoutThread`). */
    relayoutThread: (siteId: string, threadId: string) => relayoutThread(ctx, { siteId, threadId }),

    /**
     * Rebuilds the thread's page items (`relayoutThread`), then sets its `commentCount` and `firstCommentAt` from
     * the comments it holds, and bumps `version` when they changed, the layout changed or `bump` is set. The write is conditional on the version read, so a comment posted meanwhile
     * makes it count again rather than be lost.
     */
    async recountThread(siteId: string, threadId: string, options: { bump?: boolean } = {}): Promise<RecountResult> {
      const ref = { siteId, threadId };
      // Page copies first: imported comments (and, once, a table of the old layout) get theirs here.
      const layout = await layoutPass(ctx, ref);
      // Moved copies or comments change what pages show: caches must not keep the old version.
      if (layout.pageItemsChanged > 0 || layout.commentsRewritten > 0) options = { ...options, bump: true };
      const done = { layout: { commentsRewritten: layout.commentsRewritten, pageItemsChanged: layout.pageItemsChanged } };
      for (let attempt = 0; ; attempt++) {
        // The first count uses what the pass read and wrote (the thread item's version guards the write: a
        // comment posted since makes it fail, and the count is made again from the partition).
        const { thread, comments } =
          attempt === 0
            ? { thread: layout.threadItem, comments: layout.commentRecords }
            : await (async () => {
                const items = await queryPartition(ctx, "recountThread", threadPartition(ref), {
                  expression: "sk, #status, createdAt, commentCount, version, firstCommentAt, #url, #title",
                  names: { "#status": "status", "#url": "url", "#title": "title" },
                });
                return { thread: items.find(isThreadItem), comments: items.filter(isCommentItem) };
              })();
        const count = comments.filter(isPublishedItem).length;
        const firstAt = [
          ...comments.filter((item) => item.status === "published" || item.status === "pending").map((item) => String(item.createdAt)),
          ...(typeof thread?.firstCommentAt === "string" ? [thread.firstCommentAt] : []),
        ].sort()[0] ?? null;
        const before = itemToThread(thread, ref);
        const changed = before.commentCount !== count || before.firstCommentAt !== firstAt;
        if (!changed && !options.bump) return { ...before, changed: false, ...done };
        if (!thread && count === 0 && firstAt === null) return { ...before, changed: false, ...done };
        const version = before.version + 1;
        const seenVersion = typeof thread?.version === "number" ? thread.version : undefined;
        try {
          await ctx.send(
            "recountThread",
            new UpdateCommand({ TableName: ctx.tableName, ...threadRecount({ ...ref, count, version, firstCommentAt: firstAt, seenVersion }) }),
          );
          return { siteId, threadId, commentCount: count, version, firstCommentAt: firstAt, featured: before.featured, url: before.url, title: before.title, changed, ...done };
        } catch (error) {
          if (!(error instanceof ConditionFailed) || attempt >= 5) throw error;
        }
      }
    },

    /** Records published comments of authors (so first-comment pre-moderation knows them). */
    async addAuthorsPublished(siteId: string, counts: ReadonlyMap<string, number>): Promise<void> {
      for (const [authorHash, count] of counts) {
        if (count <= 0) continue;
        await ctx.send("addAuthorsPublished", new UpdateCommand({ TableName: ctx.tableName, ...publishedCountIncrement({ siteId, authorHash, count }) }));
      }
    },

    /**
     * Replaces a comment by its erased placeholder, bumps the thread's version when the comment is published
     * (the count stays: the placeholder stays visible) and appends the audit entry, in one transaction.
     * Returns false when the comment changed since it was read (the caller reads it again).
     */
    async eraseComment(comment: StoredComment, audit: { entry: AuditEntry; id: string }): Promise<boolean> {
      const items: WriteItem[] = [erasurePut(comment, audit.entry.at), auditPut({ siteId: comment.siteId, entry: audit.entry, entryId: audit.id })];
      if (comment.status === "published") {
        items.push(threadVersionBump(comment));
        // The page's copy shows the placeholder too (a copy not made yet, before the layout migration, is skipped).
        if (comment.placement) items.push(copyUpdate({ ...comment, rootId: comment.rootId ?? null }, { set: { a: erasedAuthorName, u: null, h: erasedBodyHtml } }));
      }
      try {
        await ctx.transact("eraseComment", items);
        // The featured list holds a copy too: an erased comment leaves it.
        if (comment.featuredAt) await dropFeatured(ctx, comment);
        return true;
      } catch (error) {
        if (error instanceof ConditionFailed && error.failedAt(0)) return false;
        throw error;
      }
    },

    /**
     * Forgets what is kept about an author besides comments: the "has published" record goes, and bans of the
     * author keep working but no longer name them.
     */
    async forgetAuthor(siteId: string, authorHash: string): Promise<void> {
      await ctx.send("forgetAuthor", new DeleteCommand({ TableName: ctx.tableName, Key: authorKey({ siteId, authorHash }) }));
      const bans = (await queryPartition(ctx, "forgetAuthor", banPartition({ siteId }))).filter(
        (item) => item.authorHash === authorHash && item.authorName !== erasedAuthorName,
      );
      for (const ban of bans) {
        try {
          await ctx.send("forgetAuthor", new UpdateCommand({ TableName: ctx.tableName, ...banAuthorScrub({ ban, authorName: erasedAuthorName }) }));
        } catch (error) {
          // The ban expired or was lifted meanwhile: nothing left to scrub.
          if (!(error instanceof ConditionFailed)) throw error;
        }
      }
    },
  };
}
