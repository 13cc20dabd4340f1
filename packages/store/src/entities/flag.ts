import type { FlagReason } from "@comments/core";
import { itemHeader, type WriteItem } from "./item.ts";
import { threadPartition } from "./thread.ts";

/** Reader flags (`T#<site>#<thread>` / `F#<commentId>#<ipHash>`): one per reader (IP hash) and comment. */

/** The key of one reader's flag on a comment. */
export const flagKey = (input: { siteId: string; threadId: string; commentId: string; ipHash: string }) => ({
  pk: threadPartition(input),
  sk: `F#${input.commentId}#${input.ipHash}`,
});

/** The put of a reader's flag; fails when this reader flagged the comment already. */
export const flagPut = (input: { siteId: string; threadId: string; commentId: string; ipHash: string; reason: FlagReason; at: string }): WriteItem => ({
  Put: {
    Item: { ...flagKey(input), ...itemHeader("flag"), reason: input.reason, at: input.at },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});
