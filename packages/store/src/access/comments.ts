import { GetCommand, TransactGetCommand } from "@aws-sdk/lib-dynamodb";
import { AppError, type StoredComment } from "@comments/core";
import { authorKey, authorPosted, hasPublished } from "../entities/author.ts";
import { hiddenCommentKey, itemToComment, newCommentPut, publishedCommentKey, publishedParentCheck } from "../entities/comment.ts";
import { guardHolds } from "../entities/duplicate-guard.ts";
import { completionPut, type IdempotencyClaim } from "../entities/idempotency.ts";
import type { Item, WriteItem } from "../entities/item.ts";
import { fullWindowEnd, isWindowsItem, rateLimited, rateWindows, windowCount, windowsIncrement } from "../entities/rate-window.ts";
import { publishWrites } from "../entities/page.ts";
import { postOutcome } from "../entities/stats.ts";
import { threadChange } from "../entities/thread.ts";
import { cancellationCodes, storeBusy } from "../failures.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";
import { IdempotencyClaimLost } from "./idempotency.ts";

/** Conditions that must hold when a new comment is written (all-or-nothing with the comment). */
export interface CreateGuards {
  now: Date;
  /** The claim this attempt holds on its Idempotency-Key, completed with the answer to replay. */
  idempotency?: { claim: IdempotencyClaim; status: number; body: unknown };
  /** `seen`: the windows item as `getRateWindows` read it (its past counters are removed by the write). */
  rateLimit: { ipHash: string; perMinute: number; perHour: number; seen?: Item | null };
  /**
   * The duplicate guard, set on the author item; `digest` is a keyed hash of the thread and the normalised body.
   * `seen`: the author item as `readAuthorForPost` read it (its ended guards are removed by the write).
   */
  duplicate?: { digest: string; windowMinutes: number; seen?: Item | null };
}

/** How one attempt at a new comment's transaction ended. */
type WriteOutcome = "stored" | "no room inline" | "author item changed";

/**
 * Finds a comment by id whether it is published or hidden (access pattern 4). A transactional read of both
 * keys, so a concurrent move between them (a decision) is never seen half-done.
 */
export async function readComment(ctx: StoreContext, siteId: string, threadId: string, commentId: string): Promise<StoredComment | null> {
  const ref = { siteId, threadId, commentId };
  const result = await ctx.send(
    "getComment",
    new TransactGetCommand({
      TransactItems: [
        { Get: { TableName: ctx.tableName, Key: publishedCommentKey(ref) } },
        { Get: { TableName: ctx.tableName, Key: hiddenCommentKey(ref) } },
      ],
    }),
  );
  const item = result.Responses?.find((response) => response.Item)?.Item;
  return item ? itemToComment(item) : null;
}

/** A reader's comments: the checks before a post (patterns 5 and the gate reads) and the post itself (pattern 8). */
export function commentAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** A comment by id, published or hidden, or null. */
    getComment: (siteId: string, threadId: string, commentId: string) => readComment(ctx, siteId, threadId, commentId),

    /** A published comment of the thread, or null. */
    async getPublishedComment(siteId: string, threadId: string, commentId: string): Promise<StoredComment | null> {
      const result = await ctx.send(
        "getPublishedComment",
        new GetCommand({ TableName: tableName, Key: publishedCommentKey({ siteId, threadId, commentId }), ConsistentRead: true }),
      );
      return result.Item ? itemToComment(result.Item) : null;
    },

    /**
     * How many comments this IP stored on the site in the current minute and hour windows, and when each
     * window ends.
     */
    async getRateWindows(siteId: string, ipHash: string, now: Date) {
      const windows = rateWindows({ siteId, ipHash, now });
      // Shares one BatchGetItem with the other checks of a post asked for at the same time (ban lookups).
      const seen = (await ctx.getTogether("getRateWindows", [windows.key])).find((item) => isWindowsItem(item, windows));
      return {
        minute: windowCount(seen, windows.minute),
        hour: windowCount(seen, windows.hour),
        minuteEndsAt: windows.minute.endsAt,
        hourEndsAt: windows.hour.endsAt,
        /** The windows item as read; hand it to `createComment` so its write drops the counters of past windows. */
        seen: seen ?? null,
      };
    },

    /**
     * The author's item as a post needs it: whether one of their comments was ever published on the site (the
     * first-comment rule), and the item itself (hand it to `createComment` with the duplicate guard).
     */
    async readAuthorForPost(siteId: string, authorHash: string) {
      const key = authorKey({ siteId, authorHash });
      // Shares the BatchGetItem of the other checks of the post (ban lookups, rate windows).
      const seen = (await ctx.getTogether("readAuthorForPost", [key])).find((item) => item.pk === key.pk && item.sk === key.sk) ?? null;
      return { hasPublished: hasPublished(seen ?? undefined), seen };
    },

    /**
     * Stores a new comment together with its thread counter (when published), the author's counts and duplicate
     * guard, the idempotency completion, the rate-limit windows and the day's stats count, and the parent check
     * — all in one transaction.
     * Throws `rate_limited`, `duplicate_comment` or `parent_not_found`; {@link IdempotencyClaimLost} when the
     * attempt no longer holds its Idempotency-Key.
     */
    async createComment(input: StoredComment, guards: CreateGuards): Promise<void> {
      const rootId = input.parentId === null ? null : (input.rootId ?? (await rootOf(ctx, input.siteId, input.threadId, input.parentId)));
      const comment: StoredComment = { ...input, rootId };
      // A reply's copy goes inside its root's page item while it has room, else beside it (a second attempt).
      const placements = comment.status !== "published" ? [null] : rootId === null ? (["root"] as const) : (["inline", "outside"] as const);
      for (const placement of placements) {
        const attempt = (withGuards: CreateGuards) => writeNewComment(ctx, { ...comment, placement }, withGuards);
        let outcome = await attempt(guards);
        // A concurrent post of the same author renewed an ended guard this one read: again, dropping no guard.
        if (outcome === "author item changed" && guards.duplicate) outcome = await attempt({ ...guards, duplicate: { ...guards.duplicate, seen: null } });
        if (outcome === "stored") return;
        if (outcome === "author item changed") throw storeBusy(new Error("the author item kept changing"));
      }
      throw storeBusy(new Error("no place for the reply's page copy"));
    },
  };
}

/** The root of a reply's sub-thread, from its parent's comment item (the parent must be published). */
async function rootOf(ctx: StoreContext, siteId: string, threadId: string, parentId: string): Promise<string> {
  const result = await ctx.send("getParent", new GetCommand({ TableName: ctx.tableName, Key: publishedCommentKey({ siteId, threadId, commentId: parentId }), ConsistentRead: true }));
  if (!result.Item) throw new AppError("parent_not_found", "The comment you are replying to does not exist.");
  const parent = itemToComment(result.Item);
  return parent.rootId ?? (parent.parentId === null ? parent.id : parent.parentId);
}

/**
 * One attempt at the transaction of a new comment (pattern 8). Says when the reply's root had no room left
 * inside (try again outside) or an ended duplicate guard it removes changed meanwhile (try again keeping it);
 * throws the contract's errors for the other failed conditions.
 */
async function writeNewComment(ctx: StoreContext, comment: StoredComment, guards: CreateGuards): Promise<WriteOutcome> {
  const { now } = guards;
  const ref = { siteId: comment.siteId, threadId: comment.threadId };
  const windows = rateWindows({ siteId: comment.siteId, ipHash: guards.rateLimit.ipHash, now });
  const writes: { role: string; item: WriteItem }[] = [{ role: "comment", item: newCommentPut(comment) }];
  const add = (role: string, item: WriteItem) => writes.push({ role, item });

  if (comment.status === "published") {
    for (const item of publishWrites({ ...comment, rootId: comment.rootId ?? null }, comment.placement ?? "root")) add("page", item);
    add("thread", threadChange({ ...ref, commentCreatedAt: comment.createdAt, delta: 1, page: comment.page ?? null }));
  } else if (comment.status === "pending") {
    add("thread", threadChange({ ...ref, commentCreatedAt: comment.createdAt, delta: 0, page: comment.page ?? null }));
  }
  // The author's counts by status (moderators see them with every queued comment), and the duplicate guard.
  const duplicate = guards.duplicate && guards.duplicate.windowMinutes > 0 ? guards.duplicate : null;
  const guard = duplicate ? { digest: duplicate.digest, windowMinutes: duplicate.windowMinutes, now, seen: duplicate.seen } : null;
  if (comment.authorHash !== "") add("author", authorPosted({ ...comment, guard }));
  if (comment.parentId) add("parent", publishedParentCheck({ ...ref, commentId: comment.parentId }));
  if (guards.idempotency) add("idempotency", completionPut({ ...guards.idempotency, now }));
  // The rate-limit windows, and the day's stats count riding on the same update (no write of its own).
  add(
    "rateLimit",
    windowsIncrement({ windows, perMinute: guards.rateLimit.perMinute, perHour: guards.rateLimit.perHour, seen: guards.rateLimit.seen ?? undefined, outcome: postOutcome(comment.status) }),
  );

  try {
    await ctx.transact("createComment", writes.map((write) => write.item), { token: `${comment.id}${comment.placement === "outside" ? "o" : ""}` });
    return "stored";
  } catch (error) {
    if (!(error instanceof ConditionFailed)) {
      if (cancellationCodes(error)) throw storeBusy(error);
      throw error;
    }
    const failed = new Set(writes.filter((_, i) => error.failedAt(i)).map((write) => write.role));
    const indexOf = (role: string) => writes.findIndex((write) => write.role === role);
    // Ids are random: an existing item with this id is our own earlier attempt, whose answer was lost.
    if (failed.has("comment")) return "stored";
    if (failed.has("idempotency")) throw new IdempotencyClaimLost();
    if (failed.has("rateLimit")) {
      throw rateLimited(fullWindowEnd({ windows, perMinute: guards.rateLimit.perMinute, old: error.oldAt(indexOf("rateLimit")) }), now);
    }
    if (failed.has("author") && guard) {
      if (guardHolds(error.oldAt(indexOf("author")), guard.digest, now)) throw new AppError("duplicate_comment", "You have already posted this comment.");
      return "author item changed";
    }
    if (failed.has("parent")) throw new AppError("parent_not_found", "The comment you are replying to does not exist.");
    if (failed.has("page") && comment.placement === "inline") return "no room inline";
    throw storeBusy(error);
  }
}
