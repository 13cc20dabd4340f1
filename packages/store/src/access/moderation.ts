import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { AppError, type AuditEntry, type CommentStatus, type FlagReason, type StoredComment } from "@comments/core";
import { auditItem, auditPartition, auditPut, itemToAudit } from "../entities/audit.ts";
import { authorStatusMove } from "../entities/author.ts";
import { commentToItem, decisionWrites, flagCountIncrement, itemToComment, queueForFlags, queuePartition } from "../entities/comment.ts";
import { flagPut } from "../entities/flag.ts";
import type { WriteItem } from "../entities/item.ts";
import { publishWrites, unpublishWrites } from "../entities/page.ts";
import { decisionCounted, type CountedDecision } from "../entities/stats.ts";
import { threadChange } from "../entities/thread.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";
import { indexNames } from "../table.ts";
import { readComment } from "./comments.ts";
import { dropFeatured } from "./featured.ts";

/** Status values a decision may set. */
export type DecisionStatus = Extract<CommentStatus, "published" | "rejected" | "spam">;

/** A status change by a moderator (a decision, or a ban's purge). */
export interface StatusChange {
  siteId: string;
  threadId: string;
  commentId: string;
  toStatus: DecisionStatus;
  moderator: string;
  action: string;
  note: string | null;
  now: Date;
  auditId: string;
}

const countedDecisions: readonly string[] = ["approve", "reject", "spam"] satisfies CountedDecision[];

/**
 * Changes a comment's status with its audit entry, the thread counter (when the published set changes), the
 * author's counts and the day's decision stats, all in one transaction conditional on the status read — so two
 * moderators deciding the same comment never both count or audit it. `mustBeQueued`: only a comment awaiting a
 * decision may be decided (a purge also takes published comments out of sight).
 */
export async function changeStatus(
  ctx: StoreContext,
  input: StatusChange,
  options: { mustBeQueued: boolean; current?: StoredComment },
): Promise<StoredComment & { fromStatus: StoredComment["status"] }> {
  const current = options.current ?? (await readComment(ctx, input.siteId, input.threadId, input.commentId));
  if (!current) throw new AppError("comment_not_found", "Comment not found.");
  if (options.mustBeQueued && current.queuedAt === null) throw alreadyDecided(current);

  const at = input.now.toISOString();
  const next: StoredComment = {
    ...current,
    status: input.toStatus,
    queuedAt: null,
    ...(input.toStatus === "published" && current.status === "published" ? { flags: 0, flagReasons: {} } : {}),
  };
  const entry: AuditEntry = {
    at,
    moderator: input.moderator,
    action: input.action,
    threadId: input.threadId,
    commentId: input.commentId,
    fromStatus: current.status,
    toStatus: input.toStatus,
    note: input.note,
  };
  const crosses = (current.status === "published") !== (next.status === "published");
  const rootId = current.rootId ?? (current.parentId === null ? null : current.parentId);
  // A comment entering the thread gets its page copy inside its root's page item while there is room, else beside it.
  const placements = !crosses || next.status !== "published" ? [current.placement ?? null] : rootId === null ? (["root"] as const) : (["inline", "outside"] as const);
  for (const placement of placements) {
    const decided: StoredComment = { ...next, rootId, placement: next.status === "published" ? placement : null, decidedBy: input.moderator };
    const items: WriteItem[] = decisionWrites(current, { ...commentToItem(decided), decidedAt: at }, options);
    const pageAt = items.length;
    if (crosses) {
      const delta = next.status === "published" ? 1 : -1;
      items.push(...(delta === 1 ? publishWrites({ ...decided, rootId }, placement ?? "root") : unpublishWrites({ ...current, rootId })));
      items.push(threadChange({ siteId: current.siteId, threadId: current.threadId, commentCreatedAt: current.createdAt, delta }));
    }
    if (current.status !== next.status && current.authorHash !== "") {
      items.push(authorStatusMove({ siteId: current.siteId, authorHash: current.authorHash, from: current.status, to: next.status }));
    }
    items.push(auditPut({ siteId: input.siteId, entry, entryId: input.auditId }));
    if (countedDecisions.includes(input.action)) {
      items.push(decisionCounted({ siteId: input.siteId, at, action: input.action as CountedDecision, moderator: input.moderator, queuedAt: current.queuedAt }));
    }

    try {
      await ctx.transact("decide", items, { token: `${input.auditId}${placement === "outside" ? "o" : ""}` });
      if (crosses && next.status !== "published" && current.featuredAt) await dropFeatured(ctx, current);
      return { ...decided, fromStatus: current.status };
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      // The root's page item was full: try again with the copy beside it.
      if (!error.failedAt(0) && error.failedAt(pageAt) && placement === "inline") continue;
      if (!error.failedAt(0)) throw error;
      const now = await readComment(ctx, input.siteId, input.threadId, input.commentId);
      if (!now) throw new AppError("comment_not_found", "Comment not found.");
      if ((now.status === current.status || now.queuedAt !== null) && (now.edits ?? 0) !== (current.edits ?? 0)) {
        throw new AppError("edit_conflict", "The author edited this comment while you were deciding. Please review it again.");
      }
      throw alreadyDecided(now);
    }
  }
  throw new AppError("unavailable", "The store is busy. Please try again.", { retryAfter: 1 });
}

/** Moderation: decisions (pattern 9), reader flags, the queue (pattern 6) and the audit log (pattern 12). */
export function moderationAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /**
     * Applies a moderator's decision to a comment awaiting one. The status condition makes concurrent
     * decisions safe: exactly one wins, the others get `409 already_decided`.
     */
    decide: (input: StatusChange) => changeStatus(ctx, input, { mustBeQueued: true }),

    /**
     * Records a reader's flag (one per IP hash and comment). When the comment reaches `threshold`
     * distinct flaggers it enters the moderation queue and stays published. Returns true when this flag
     * put the comment in the queue.
     */
    async addFlag(input: {
      siteId: string;
      threadId: string;
      commentId: string;
      ipHash: string;
      reason: FlagReason;
      threshold: number;
      now: Date;
    }): Promise<{ queued: boolean; comment: StoredComment | null }> {
      const at = input.now.toISOString();
      try {
        await ctx.transact("addFlag", [flagPut({ ...input, at }), flagCountIncrement(input)]);
      } catch (error) {
        if (!(error instanceof ConditionFailed)) throw error;
        if (error.failedAt(1)) throw new AppError("comment_not_found", "Comment not found.");
        return { queued: false, comment: null }; // this reader flagged it already
      }
      try {
        const result = await ctx.send("addFlag", new UpdateCommand({ TableName: tableName, ...queueForFlags({ ...input, at }) }));
        return { queued: true, comment: result.Attributes ? itemToComment(result.Attributes) : null };
      } catch (error) {
        if (error instanceof ConditionFailed) return { queued: false, comment: null };
        throw error;
      }
    },

    /** The moderation queue of a site, oldest first (sparse GSI). */
    async listQueue(siteId: string, limit: number, cursor: string | null) {
      const partition = queuePartition({ siteId });
      const result = await ctx.send(
        "listQueue",
        new QueryCommand({
          TableName: tableName,
          IndexName: indexNames.queue,
          KeyConditionExpression: "gsi1pk = :pk",
          ExpressionAttributeValues: { ":pk": partition },
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, partition) } : {}),
        }),
      );
      return { items: (result.Items ?? []).map(itemToComment), nextCursor: encodeCursor(result.LastEvaluatedKey) };
    },

    /** The audit log of a site, newest first. */
    async listAudit(siteId: string, limit: number, cursor: string | null) {
      const partition = auditPartition({ siteId });
      const result = await ctx.send(
        "listAudit",
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": partition },
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, partition) } : {}),
        }),
      );
      return { items: (result.Items ?? []).map(itemToAudit), nextCursor: encodeCursor(result.LastEvaluatedKey) };
    },

    /** Appends an audit entry outside a decision (bans, data requests). */
    async appendAudit(siteId: string, entry: AuditEntry, entryId: string): Promise<void> {
      await ctx.send("appendAudit", new PutCommand({ TableName: tableName, Item: auditItem({ siteId, entry, entryId }) }));
    },
  };
}

function alreadyDecided(comment: StoredComment): AppError {
  const by = comment.decidedBy ? ` by ${comment.decidedBy}` : "";
  return new AppError("already_decided", `This comment was already decided${by} (it is ${comment.status}).`, {
    extra: { status: comment.status, decidedBy: comment.decidedBy ?? null },
  });
}
