import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { SiteConfig } from "@comments/core";
import { itemToComment, type Item } from "@comments/store";
import type { QueueListener } from "../deps.ts";
import { jsonLogger, type Logger } from "../logger.ts";

/** One record of a DynamoDB stream event, as Lambda delivers it (view type NEW_AND_OLD_IMAGES). */
export interface DynamoStreamRecord {
  eventID?: string;
  eventName?: "INSERT" | "MODIFY" | "REMOVE";
  eventSourceARN?: string;
  dynamodb?: {
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
    StreamViewType?: string;
  };
}

/** A DynamoDB stream event, as Lambda delivers it. */
export interface DynamoStreamEvent {
  Records: DynamoStreamRecord[];
}

/**
 * True when a write put an item into the moderation queue: the new image carries `gsi1pk` and the old
 * image is absent or has none. Decisions (which remove `gsi1pk`) and updates of queued items do not count,
 * nor do imported comments (`importedAt`): an import must not page moderators once per old comment.
 */
export function enteredQueue(oldImage: Item | undefined, newImage: Item | undefined): boolean {
  if (!newImage || newImage.type !== "comment" || typeof newImage.gsi1pk !== "string") return false;
  if (newImage.importedAt !== undefined && !oldImage) return false;
  return !oldImage || typeof oldImage.gsi1pk !== "string";
}

/** Options for {@link streamNotifier}. */
export interface StreamNotifierOptions {
  sites: readonly SiteConfig[];
  /** Awaited per comment: use a listener that finishes its deliveries before resolving. */
  listener: QueueListener;
  logger?: Logger;
}

/**
 * Turns table stream events into `commentQueued` calls. Records of unknown sites and malformed images are
 * logged and skipped, so one bad record never blocks the shard; failed deliveries are logged by the listener.
 * @example export const handler = streamNotifier({ sites, listener });
 */
export function streamNotifier(options: StreamNotifierOptions): (event: DynamoStreamEvent) => Promise<{ notified: number }> {
  const logger = options.logger ?? jsonLogger;
  const siteById = new Map(options.sites.map((site) => [site.id, site]));
  return async (event) => {
    const queued = [];
    for (const record of event.Records ?? []) {
      try {
        const newImage = record.dynamodb?.NewImage ? (unmarshall(record.dynamodb.NewImage) as Item) : undefined;
        const oldImage = record.dynamodb?.OldImage ? (unmarshall(record.dynamodb.OldImage) as Item) : undefined;
        if (!enteredQueue(oldImage, newImage)) continue;
        const comment = itemToComment(newImage!);
        const site = siteById.get(comment.siteId);
        if (!site) {
          logger.error("stream record for an unknown site", { site: comment.siteId, eventID: record.eventID });
          continue;
        }
        if (comment.status !== "spam") queued.push({ site, comment });
      } catch (error) {
        logger.error("unreadable stream record", { eventID: record.eventID, cause: String(error) });
      }
    }
    // Different comments notify in parallel; each delivery retries on its own.
    await Promise.all(queued.map(({ site, comment }) => options.listener.commentQueued(site, comment)));
    return { notified: queued.length };
  };
}
