import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { isAppError, toPublicComment, type AuthorCounts, type ModCommentContext, type PublicComment, type StoredComment } from "@comments/core";
import { authorCounts, authorKey } from "../entities/author.ts";
import { banLookupKey, isInForce } from "../entities/ban.ts";
import { authorCommentsPartition, isCommentItem, itemToComment, publishedCommentKey } from "../entities/comment.ts";
import { optionalString, type Item } from "../entities/item.ts";
import { threadKey } from "../entities/thread.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { Key, StoreContext } from "../send.ts";
import { indexNames } from "../table.ts";
import { changeStatus } from "./moderation.ts";

/** Runs `work` on every item, at most `limit` at a time (a page of writes without flooding the table). */
export async function eachWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The context of each comment of a page, by comment id, without its author ref (the API encodes that). */
export type StoredContext = Map<string, Omit<ModCommentContext, "author"> & { author: { counts: AuthorCounts; banned: boolean } }>;

const keyOf = (key: Key) => `${key.pk}\u0000${key.sk}`;

/**
 * What moderators see around comments (pattern 16): the threads' `url`/`title`, the parents of replies, the
 * authors' counts and whether a ban covers them — ONE BatchGetItem (per 100 keys) for a whole page, whatever
 * its size, keys shared between comments read once.
 */
export async function readModContext(ctx: StoreContext, comments: readonly StoredComment[], now: Date): Promise<StoredContext> {
  const keys = new Map<string, Key>();
  const want = (key: Key) => (keys.set(keyOf(key), key), keyOf(key));
  const wanted = comments.map((comment) => ({
    thread: want(threadKey(comment)),
    parent: comment.parentId ? want(publishedCommentKey({ siteId: comment.siteId, threadId: comment.threadId, commentId: comment.parentId })) : null,
    author: comment.authorHash ? want(authorKey(comment)) : null,
    ban: comment.authorHash ? want(banLookupKey({ siteId: comment.siteId, hash: comment.authorHash })) : null,
  }));
  const found = new Map((keys.size > 0 ? await ctx.getTogether("readModContext", [...keys.values()]) : []).map((item) => [keyOf(item as Key), item]));
  const get = (key: string | null): Item | undefined => (key === null ? undefined : found.get(key));
  const context: StoredContext = new Map();
  comments.forEach((comment, i) => {
    const want = wanted[i]!;
    const thread = get(want.thread);
    const parent = get(want.parent);
    const ban = get(want.ban);
    context.set(comment.id, {
      thread: { url: optionalString(thread?.url), title: optionalString(thread?.title) },
      parent: parent ? toPublicComment(itemToComment(parent)) as PublicComment : null,
      author: { counts: authorCounts(get(want.author)), banned: ban !== undefined && isInForce(ban, now) },
    });
  });
  return context;
}

/** An author's comments on a site (pattern 7): the author index (keys only), then the comments by key. */
export function authorCommentAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  const page = async (siteId: string, authorHash: string, limit: number, cursor: string | null) => {
    const partition = authorCommentsPartition({ siteId, authorHash });
    const result = await ctx.send(
      "listAuthorComments",
      new QueryCommand({
        TableName: tableName,
        IndexName: indexNames.author,
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": partition },
        // Ids are time-sortable: newest first.
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, partition) } : {}),
      }),
    );
    const keys = (result.Items ?? []).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    const items = keys.length > 0 ? await ctx.getTogether("listAuthorComments", keys) : [];
    const byKey = new Map(items.filter(isCommentItem).map((item) => [keyOf(item as Key), itemToComment(item)]));
    // In index order (newest first); a comment that moved between reads is simply left out of this page.
    const comments = keys.flatMap((key) => byKey.get(keyOf(key)) ?? []);
    return { items: comments, nextCursor: encodeCursor(result.LastEvaluatedKey) };
  };
  return {
    /** One page of an author's comments on a site, newest first. */
    listAuthorComments: page,

    /** Every comment of an author on a site, newest first (a ban's purge). */
    async allAuthorComments(siteId: string, authorHash: string): Promise<StoredComment[]> {
      const all: StoredComment[] = [];
      let cursor: string | null = null;
      do {
        const next = await page(siteId, authorHash, 100, cursor);
        all.push(...next.items);
        cursor = next.nextCursor;
      } while (cursor);
      return all;
    },

    /**
     * A ban's purge: rejects every published and pending comment of the author on the site, each on its own
     * conditional write with its audit entry (a comment decided meanwhile by someone else is left as they
     * decided). Returns how many this purge rejected; `onRejected` hears of each one (its thread's pages change).
     */
    async purgeAuthor(input: {
      siteId: string;
      authorHash: string;
      moderator: string;
      note: string;
      now: Date;
      newId: () => string;
      onRejected?: (comment: StoredComment) => void;
    }): Promise<number> {
      const comments = (await this.allAuthorComments(input.siteId, input.authorHash)).filter((c) => c.status === "published" || c.status === "pending");
      let purged = 0;
      await eachWithConcurrency(comments, 4, async (current) => {
        const change = { siteId: input.siteId, threadId: current.threadId, commentId: current.id, toStatus: "rejected" as const };
        try {
          await changeStatus(ctx, { ...change, moderator: input.moderator, action: "reject", note: input.note, now: input.now, auditId: input.newId() }, { mustBeQueued: false, current });
          purged++;
          input.onRejected?.(current);
        } catch (error) {
          if (!isAppError(error, "already_decided") && !isAppError(error, "comment_not_found")) throw error;
        }
      });
      return purged;
    },

    /** The context of each comment, by comment id (see {@link readModContext}). */
    modContext: (comments: readonly StoredComment[], now: Date) => readModContext(ctx, comments, now),
  };
}
