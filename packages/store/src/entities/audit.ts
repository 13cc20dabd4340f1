import type { AuditEntry, CommentStatus } from "@comments/core";
import { itemHeader, optionalString, type Item, type WriteItem } from "./item.ts";

/** Audit entries (`L#<site>` / `<at>#<entryId>`): a site's moderation log, read newest first. */

/** The partition of a site's audit log. */
export const auditPartition = ({ siteId }: { siteId: string }) => `L#${siteId}`;

/** The key of one audit entry. */
export const auditKey = (input: { siteId: string; at: string; entryId: string }) => ({ pk: auditPartition(input), sk: `${input.at}#${input.entryId}` });

/** The audit entry's item. */
export const auditItem = (input: { siteId: string; entry: AuditEntry; entryId: string }): Item => ({
  ...auditKey({ siteId: input.siteId, at: input.entry.at, entryId: input.entryId }),
  ...itemHeader("audit"),
  ...input.entry,
});

/** The audit entry as a transaction item (it is written with the change it records). */
export const auditPut = (input: { siteId: string; entry: AuditEntry; entryId: string }): WriteItem => ({ Put: { Item: auditItem(input) } });

/** Reads an audit item. */
export function itemToAudit(item: Item): AuditEntry {
  return {
    at: String(item.at),
    moderator: String(item.moderator),
    action: String(item.action),
    threadId: String(item.threadId),
    commentId: String(item.commentId),
    fromStatus: (optionalString(item.fromStatus) as CommentStatus | null),
    toStatus: (optionalString(item.toStatus) as CommentStatus | null),
    note: optionalString(item.note),
  };
}
