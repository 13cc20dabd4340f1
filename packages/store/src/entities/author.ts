import type { AuthorCounts, CommentStatus } from "@comments/core";
import { guardUpdate, type DuplicateGuard } from "./duplicate-guard.ts";
import { headerUpdate, type Item, type WriteItem } from "./item.ts";

/**
 * Author items (`U#<site>#<author>` / `U`): how many of an author's comments were ever published on a site
 * (`publishedCount`, the first-comment rule), and how many are in each status now (`n_<status>`, the counts
 * moderators see). Every write that creates a comment or changes its status updates them in its transaction.
 * A new comment's write also sets its duplicate guard here (`d_<digest>`, `duplicate-guard.ts`).
 */

interface AuthorRef {
  siteId: string;
  authorHash: string;
}

/** The key of an author's item. */
export const authorKey = ({ siteId, authorHash }: AuthorRef) => ({ pk: `U#${siteId}#${authorHash}`, sk: "U" });

const header = headerUpdate("author");

/** The attribute counting an author's comments in `status`. */
const statusCount = (status: CommentStatus) => `n_${status}`;

/** Counts `count` more published comments of the author (as an `UpdateItem` input without table). */
export const publishedCountIncrement = (input: AuthorRef & { count?: number }) => ({
  Key: authorKey(input),
  UpdateExpression: `SET ${header.set} ADD publishedCount :n, ${statusCount("published")} :n`,
  ExpressionAttributeNames: header.names,
  ExpressionAttributeValues: { ...header.values, ":n": input.count ?? 1 },
});

/**
 * Counts a new comment of the author in its status (and as ever published when it is); with a `guard`, also sets
 * its duplicate guard, failing (old item returned) while a live guard of the same digest stands.
 */
export const authorPosted = (input: AuthorRef & { status: CommentStatus; guard?: DuplicateGuard | null }): WriteItem => {
  const everPublished = input.status === "published" ? "publishedCount :one, " : "";
  const guard = input.guard ? guardUpdate(input.guard) : null;
  const remove = guard?.remove.length ? ` REMOVE ${guard.remove.join(", ")}` : "";
  return {
    Update: {
      Key: authorKey(input),
      UpdateExpression: `SET ${header.set}${guard ? `, ${guard.set}` : ""} ADD ${everPublished}#to :one${remove}`,
      ExpressionAttributeNames: { ...header.names, "#to": statusCount(input.status), ...guard?.names },
      ExpressionAttributeValues: { ...header.values, ":one": 1, ...guard?.values },
      ...(guard ? { ConditionExpression: guard.condition, ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const } : {}),
    },
  };
};

/** Moves one of the author's comments from one status count to another (and counts it as ever published). */
export const authorStatusMove = (input: AuthorRef & { from: CommentStatus; to: CommentStatus }): WriteItem => {
  const everPublished = input.to === "published" ? "publishedCount :one, " : "";
  return {
    Update: {
      Key: authorKey(input),
      UpdateExpression: `SET ${header.set} ADD ${everPublished}#from :minus, #to :one`,
      ExpressionAttributeNames: { ...header.names, "#from": statusCount(input.from), "#to": statusCount(input.to) },
      ExpressionAttributeValues: { ...header.values, ":one": 1, ":minus": -1 },
    },
  };
};

/** True once one of the author's comments has been published. */
export const hasPublished = (item: Item | undefined) => Number(item?.publishedCount ?? 0) > 0;

/** The author's counts by status (authors from before the counts existed read as 0; never below 0). */
export function authorCounts(item: Item | undefined): AuthorCounts {
  const read = (status: CommentStatus) => Math.max(0, Number(item?.[statusCount(status)] ?? 0) || 0);
  return { published: read("published"), pending: read("pending"), rejected: read("rejected"), spam: read("spam") };
}
