import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { commentSortPrefixes, erasedAuthorName, erasedBodyHtml, siteTimelinePartition } from "../entities/comment.ts";
import { optionalString, type Item } from "../entities/item.ts";
import { threadPartition } from "../entities/thread.ts";
import type { StoreContext } from "../send.ts";
import { indexNames } from "../table.ts";

/** One entry of a feed: what an Atom entry shows of a published comment (no email, no hashes). */
export interface FeedEntry {
  id: string;
  threadId: string;
  authorName: string;
  bodyHtml: string;
  createdAt: string;
  /** The page the comment was posted from (its permalink's target), when known. */
  pageUrl: string | null;
  pageTitle: string | null;
}

/** Where a permalink leads: the comment's thread and the page address its post reported. */
export interface PermalinkTarget {
  threadId: string;
  pageUrl: string | null;
}

const feedAttributes = ["id", "threadId", "authorName", "bodyHtml", "createdAt", "pageUrl", "pageTitle", "deleted"];
const feedProjection = {
  ProjectionExpression: feedAttributes.map((_, i) => `#f${i}`).join(", "),
  ExpressionAttributeNames: Object.fromEntries(feedAttributes.map((name, i) => [`#f${i}`, name])),
};

const toFeedEntry = (item: Item): FeedEntry => ({
  id: String(item.id),
  threadId: String(item.threadId),
  authorName: String(item.authorName),
  bodyHtml: String(item.bodyHtml),
  createdAt: String(item.createdAt),
  pageUrl: optionalString(item.pageUrl),
  pageTitle: optionalString(item.pageTitle),
});

/** An erased or deleted comment's placeholder: it stays in its thread for its replies, never in a feed. */
const isPlaceholder = (item: Item) => item.deleted === true || (item.authorName === erasedAuthorName && item.bodyHtml === erasedBodyHtml);

/** Permalinks and feeds: the site timeline index (patterns 15 and 16 of `table.ts`). */
export function timelineAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /** Where a published comment's permalink leads, or null when it is not public (ONE Query on gsi5). */
    async findPermalink(siteId: string, commentId: string): Promise<PermalinkTarget | null> {
      const result = await ctx.send(
        "findPermalink",
        new QueryCommand({
          TableName: tableName,
          IndexName: indexNames.siteTimeline,
          KeyConditionExpression: "gsi5pk = :pk AND gsi5sk = :id",
          ExpressionAttributeValues: { ":pk": siteTimelinePartition({ siteId }), ":id": commentId },
          ProjectionExpression: "threadId, pageUrl",
          Limit: 1,
        }),
      );
      const item = result.Items?.[0];
      return item ? { threadId: String(item.threadId), pageUrl: optionalString(item.pageUrl) } : null;
    },

    /** The latest `limit` published comments of a site, newest first (ONE Query on gsi5). */
    async siteFeed(siteId: string, limit: number): Promise<FeedEntry[]> {
      const result = await ctx.send(
        "siteFeed",
        new QueryCommand({
          TableName: tableName,
          IndexName: indexNames.siteTimeline,
          KeyConditionExpression: "gsi5pk = :pk",
          ExpressionAttributeValues: { ":pk": siteTimelinePartition({ siteId }) },
          ScanIndexForward: false,
          Limit: limit,
          ...feedProjection,
        }),
      );
      return (result.Items ?? []).filter((item) => !isPlaceholder(item)).map(toFeedEntry);
    },

    /**
     * The latest `limit` published comments of a thread, newest first (ONE Query on the thread's published
     * range). Placeholders of erased or deleted comments are left out of the feed.
     */
    async threadFeed(siteId: string, threadId: string, limit: number): Promise<FeedEntry[]> {
      const prefix = commentSortPrefixes.published;
      const result = await ctx.send(
        "threadFeed",
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":pk": threadPartition({ siteId, threadId }), ":from": prefix, ":to": `${prefix}~` },
          ScanIndexForward: false,
          Limit: limit,
          ...feedProjection,
        }),
      );
      return (result.Items ?? []).filter((item) => !isPlaceholder(item)).map(toFeedEntry);
    },
  };
}
