import { unmarshall } from "@aws-sdk/util-dynamodb";
import { itemToComment, itemToSubscription, type Item } from "@comments/store";
import type { CommentStatus } from "@comments/core";
import type { Logger } from "../logger.ts";
import type { DynamoStreamEvent } from "../notify/stream-notifier.ts";
import { mailJob, type MailWorker } from "./worker.ts";

/** What a table write owes in mail, read from its stream record. */
export type MailEvent =
  | { kind: "subscriptionCreated"; item: Item }
  | { kind: "commentPublished"; item: Item }
  | { kind: "commentDecided"; item: Item; fromStatus: CommentStatus };

const statuses = new Set(["pending", "published", "rejected", "spam"]);

/**
 * The mail a stream record calls for. A comment item moves between sort keys when it crosses the published
 * line, so "became published" is an insert of a published item (or a change into `published`), and a
 * rejection of a published comment arrives as an insert of a rejected one. Imported comments mail nobody.
 */
export function mailEventOf(oldImage: Item | undefined, newImage: Item | undefined): MailEvent | null {
  if (!newImage) return null;
  if (newImage.type === "subscription") return oldImage ? null : { kind: "subscriptionCreated", item: newImage };
  if (newImage.type !== "comment" || newImage.importedAt !== undefined) return null;
  const before = typeof oldImage?.status === "string" && statuses.has(oldImage.status) ? (oldImage.status as CommentStatus) : null;
  if (newImage.status === "published" && before !== "published") return { kind: "commentPublished", item: newImage };
  if (newImage.status === "rejected" && before !== "rejected") return { kind: "commentDecided", item: newImage, fromStatus: before ?? "published" };
  return null;
}

/**
 * The table stream consumer of mail on AWS: confirmation mails for new subscriptions, notifications for
 * published comments, statements of reasons for rejections. Records are handled in order (gathering reads
 * what the previous one wrote); a failing record is logged and skipped, never blocking the shard.
 * @example export const handler = mailStreamHandler(worker, logger);
 */
export function mailStreamHandler(worker: MailWorker, logger: Logger): (event: DynamoStreamEvent) => Promise<{ handled: number }> {
  return async (event) => {
    let handled = 0;
    for (const record of event.Records ?? []) {
      let mail: MailEvent | null = null;
      try {
        const newImage = record.dynamodb?.NewImage ? (unmarshall(record.dynamodb.NewImage) as Item) : undefined;
        const oldImage = record.dynamodb?.OldImage ? (unmarshall(record.dynamodb.OldImage) as Item) : undefined;
        mail = mailEventOf(oldImage, newImage);
      } catch (error) {
        logger.error("unreadable stream record", { eventID: record.eventID, cause: String(error) });
      }
      if (!mail) continue;
      handled++;
      const event = mail;
      await mailJob(logger, event.kind, async () => {
        if (event.kind === "subscriptionCreated") await worker.subscriptionCreated(itemToSubscription(event.item));
        else if (event.kind === "commentPublished") await worker.commentPublished(itemToComment(event.item));
        else await worker.commentDecided(itemToComment(event.item), event.fromStatus);
      });
    }
    return { handled };
  };
}
