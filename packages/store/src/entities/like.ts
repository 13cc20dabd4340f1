import { itemHeader, type WriteItem } from "./item.ts";
import { threadPartition } from "./thread.ts";

/**
 * Reader likes (`T#<site>#<thread>` / `V#<commentId>#<reader>`): one item per reader and comment, so a like
 * is counted once however often (or however concurrently) it is sent. `reader` is a keyed hash (of the IP for
 * guests, of `sso:<sub>` for signed-in readers); it sorts outside the thread page's range.
 */

interface LikeRef {
  siteId: string;
  threadId: string;
  commentId: string;
  reader: string;
}

/** The key of a reader's like of a comment. */
export const likeKey = (ref: LikeRef) => ({ pk: threadPartition(ref), sk: `V#${ref.commentId}#${ref.reader}` });

/** Records a like; fails when this reader already likes the comment. */
export const likePut = (ref: LikeRef & { at: string }): WriteItem => ({
  Put: { Item: { ...likeKey(ref), ...itemHeader("like"), at: ref.at }, ConditionExpression: "attribute_not_exists(pk)" },
});

/** Takes a like back; fails when this reader does not like the comment. */
export const likeDelete = (ref: LikeRef): WriteItem => ({ Delete: { Key: likeKey(ref), ConditionExpression: "attribute_exists(pk)" } });
