import { epochSeconds, itemHeader, type Item } from "./item.ts";

/**
 * What the mail side remembers between mails, keyed by a keyed hash of the address (never the address):
 * - confirmations sent to an address (`NA#<site>#<addressHash>` / `A`), for the daily cap; TTL a day after the last;
 * - gathering per address and thread (`NG#<site>` / `G#<addressHash>#<thread>`): when the last notification went,
 *   what it carried, what waits for the next one; one partition per site so the timer finds what is due;
 * - the moderator digest of a site (`ND#<site>` / `D`): when it last went;
 * - suppressed addresses (`NX#<addressHash>` / `X`): bounced or complained, never mailed again.
 */

/** A comment waiting in a gather item (what a notification quotes). */
export interface GatheredComment {
  id: string;
  authorName: string;
  body: string;
  createdAt: string;
}

/** Gathering of one address on one thread. `rev` guards against two writers. */
export interface GatherRecord {
  siteId: string;
  threadId: string;
  addressHash: string;
  subscriptionId: string;
  lastSentAt: string | null;
  lastSentIds: string[];
  waiting: GatheredComment[];
  /** When the waiting comments are due (null: nothing waits). */
  dueAt: string | null;
  rev: number;
}

/** The key of an address's confirmation counter. */
export const mailAddressKey = ({ siteId, addressHash }: { siteId: string; addressHash: string }) => ({ pk: `NA#${siteId}#${addressHash}`, sk: "A" });

/** The item counting confirmations sent to an address; expires a day after the last one. */
export const mailAddressItem = (input: { siteId: string; addressHash: string; confirmationsSentAt: string[] }): Item => ({
  ...mailAddressKey(input),
  ...itemHeader("mailAddress"),
  confirmationsSentAt: input.confirmationsSentAt,
  ttl: epochSeconds(input.confirmationsSentAt.at(-1) ?? new Date()) + 86_400,
});

/** The partition of a site's gather items. */
export const gatherPartition = ({ siteId }: { siteId: string }) => ({ pk: `NG#${siteId}` });

/** The key of one gather item. */
export const gatherKey = (input: { siteId: string; threadId: string; addressHash: string }) => ({
  ...gatherPartition(input),
  sk: `G#${input.addressHash}#${input.threadId}`,
});

/** The item of a gather record; it expires a day after the last activity. */
export const gatherItem = (record: GatherRecord, now: Date): Item => ({
  ...gatherKey(record),
  ...itemHeader("mailGather"),
  ...record,
  ttl: epochSeconds(now) + 86_400,
});

/** Reads a gather item. */
export function itemToGather(item: Item): GatherRecord {
  return {
    siteId: String(item.siteId),
    threadId: String(item.threadId),
    addressHash: String(item.addressHash),
    subscriptionId: String(item.subscriptionId),
    lastSentAt: typeof item.lastSentAt === "string" ? item.lastSentAt : null,
    lastSentIds: (item.lastSentIds as string[] | undefined) ?? [],
    waiting: (item.waiting as GatheredComment[] | undefined) ?? [],
    dueAt: typeof item.dueAt === "string" ? item.dueAt : null,
    rev: Number(item.rev ?? 0),
  };
}

/** The key of a site's digest record. */
export const digestKey = ({ siteId }: { siteId: string }) => ({ pk: `ND#${siteId}`, sk: "D" });

/** The item of a site's digest record. */
export const digestItem = (input: { siteId: string; lastSentAt: string }): Item => ({ ...digestKey(input), ...itemHeader("mailDigest"), ...input });

/** The key of a suppressed address. */
export const suppressionKey = ({ addressHash }: { addressHash: string }) => ({ pk: `NX#${addressHash}`, sk: "X" });

/** The item of a suppressed address. */
export const suppressionItem = (input: { addressHash: string; reason: "bounce" | "complaint"; at: string }): Item => ({
  ...suppressionKey(input),
  ...itemHeader("mailSuppression"),
  ...input,
});
