import { headerUpdate, type Item, type WriteItem } from "./item.ts";

/** Author items (`U#<site>#<author>` / `U`): how many of an author's comments were published on a site. */

interface AuthorRef {
  siteId: string;
  authorHash: string;
}

/** The key of an author's item. */
export const authorKey = ({ siteId, authorHash }: AuthorRef) => ({ pk: `U#${siteId}#${authorHash}`, sk: "U" });

const header = headerUpdate("author");

/** Counts `count` more published comments of the author (as an `UpdateItem` input without table). */
export const publishedCountIncrement = (input: AuthorRef & { count?: number }) => ({
  Key: authorKey(input),
  UpdateExpression: `SET ${header.set} ADD publishedCount :n`,
  ExpressionAttributeNames: header.names,
  ExpressionAttributeValues: { ...header.values, ":n": input.count ?? 1 },
});

/** The same increment as a transaction item. */
export const authorPublished = (input: AuthorRef): WriteItem => ({ Update: publishedCountIncrement(input) });

/** True once one of the author's comments has been published. */
export const hasPublished = (item: Item | undefined) => Number(item?.publishedCount ?? 0) > 0;
