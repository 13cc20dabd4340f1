import * as z from "zod";
import { auditNotes, fieldMessages, commentRecordSchema, newId, toCommentRecord, type CommentRecord, type StoredComment } from "@comments/core";
import type { Store } from "@comments/store";
import type { ResolvedDeps } from "../deps.ts";
import type { Hasher } from "../hashing.ts";
import { validate } from "../middleware/validate.ts";
import { jsonBodyErrors, moderationErrors } from "./scopes.ts";
import type { RouteDef } from "./route-table.ts";

/** The body of a data request: the reader's email address. */
export const dataRequestSchema = z.object({
  email: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z.email({ error: fieldMessages.emailInvalid }).max(254, fieldMessages.emailInvalid),
  ),
});

/** A reader's comment in a data export: what moderators see, plus the text the reader wrote. */
export type ReaderComment = CommentRecord & { body: string };

/** What data requests need: the store and the deployment's keyed hasher. */
export interface DataRequestDeps {
  store: Store;
  hasher: Hasher;
}

/** The author hash of an email address (the same the API computes when a reader posts with it). */
const authorHashOf = (hasher: Hasher, email: string) => hasher.author({ email, name: "" }, "");

/** Every comment a reader posted on a site with this email address, oldest first (author index). */
export async function findReaderComments(deps: DataRequestDeps, siteId: string, email: string): Promise<StoredComment[]> {
  return deps.store.bulk.findAuthorComments(siteId, authorHashOf(deps.hasher, email));
}

/** The export view of a reader's comments. */
export const readerCommentView = (comment: StoredComment): ReaderComment => ({ ...toCommentRecord(comment), body: comment.body });

/** Records a data export in the audit log (the email itself is not logged: it is the reader's data). */
export async function auditReaderExport(deps: DataRequestDeps, siteId: string, moderator: string, count: number, now: Date): Promise<void> {
  await deps.store.appendAudit(
    siteId,
    { at: now.toISOString(), moderator, action: "data_export", threadId: "", commentId: "", fromStatus: null, toStatus: null, note: auditNotes.dataExport(count) },
    newId(now.getTime()),
  );
}

/**
 * Erases a reader's comments on a site: each becomes a placeholder (same id, parent and date; author "[deleted]",
 * no email, url, text or hashes) so reply threads stay readable, with one audit entry per comment. Published
 * comments keep counting in their thread, whose version changes (new ETag). Returns how many were erased.
 */
export async function eraseReaderComments(
  deps: DataRequestDeps,
  input: { siteId: string; email: string; moderator: string; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<{ erased: number }> {
  const { store } = deps;
  const authorHash = authorHashOf(deps.hasher, input.email);
  const comments = await store.bulk.findAuthorComments(input.siteId, authorHash);
  const at = input.now.toISOString();
  let erased = 0;
  for (const [index, found] of comments.entries()) {
    let comment: StoredComment | null = found;
    // A moderator may move the comment meanwhile (publish, reject): read it again and retry.
    for (let attempt = 0; comment && comment.authorHash === authorHash && attempt < 5; attempt++) {
      const entry = {
        at,
        moderator: input.moderator,
        action: "erase",
        threadId: comment.threadId,
        commentId: comment.id,
        fromStatus: comment.status,
        toStatus: comment.status,
        note: auditNotes.erase(),
      };
      if (await store.bulk.eraseComment(comment, { entry, id: newId(input.now.getTime()) })) {
        erased++;
        break;
      }
      comment = await store.getComment(input.siteId, comment.threadId, comment.id);
    }
    input.onProgress?.(index + 1, comments.length);
  }
  await store.bulk.forgetAuthor(input.siteId, authorHash);
  return { erased };
}


const emailBody = validate({ json: dataRequestSchema });
const dataRequestErrors = [...moderationErrors, ...jsonBodyErrors];

/**
 * Readers' data rights for moderators: `POST /v1/mod/sites/{siteId}/data-requests/export` `{"email"}` → 200
 * `{"email", "comments": [...]}` and `…/data-requests/erase` `{"email"}` → 200 `{"erased": n}`.
 * Part of the moderation routes, whose origin guard and key → site → scope checks (401 → 404 → 403) cover them.
 */
export function dataRequestRoutes(deps: ResolvedDeps): RouteDef[] {
  const { now } = deps;
  return [
    {
      method: "post",
      path: "/v1/mod/sites/{siteId}/data-requests/export",
      summary: "Every comment a reader posted with an email address, with its text",
      auth: "moderatorKey",
      validators: [emailBody],
      ok: { 200: { description: "The reader's comments", schema: z.object({ email: z.string(), comments: z.array(commentRecordSchema.extend({ body: z.string() })) }) } },
      errors: dataRequestErrors,
      handler: async (c) => {
        const { email } = emailBody.values(c).json;
        const comments = await findReaderComments(deps, c.var.site.id, email);
        await auditReaderExport(deps, c.var.site.id, c.var.principal.who, comments.length, now());
        c.header("Cache-Control", "no-store");
        return c.json({ email, comments: comments.map(readerCommentView) });
      },
    },
    {
      method: "post",
      path: "/v1/mod/sites/{siteId}/data-requests/erase",
      summary: "Erase a reader's comments: each becomes a [deleted] placeholder",
      auth: "moderatorKey",
      validators: [emailBody],
      ok: { 200: { description: "How many comments were erased", schema: z.object({ erased: z.number().int() }) } },
      errors: dataRequestErrors,
      handler: async (c) => {
        const { email } = emailBody.values(c).json;
        return c.json(await eraseReaderComments(deps, { siteId: c.var.site.id, email, moderator: c.var.principal.who, now: now() }));
      },
    },
  ];
}
