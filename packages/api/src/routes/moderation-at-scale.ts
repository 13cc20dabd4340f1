import * as z from "zod";
import {
  AppError,
  authorCommentsPageSchema,
  bulkDecisionInputSchema,
  bulkDecisionResultSchema,
  fieldMessages,
  isAppError,
  isId,
  limitSchema,
  messages,
  moderationStatsSchema,
  statsDaysSchema,
  type StoredComment,
} from "@comments/core";
import { eachWithConcurrency } from "@comments/store";
import type { ResolvedDeps } from "../deps.ts";
import { errorBody } from "../error-mapper.ts";
import { validate } from "../middleware/validate.ts";
import { decideComment } from "../moderation/decide.ts";
import { authorHashOfRef, modViews } from "../moderation/mod-views.ts";
import { moderationStats, statsDates } from "../moderation/stats.ts";
import type { RouteDef } from "./route-table.ts";
import { jsonBodyErrors, moderationErrors } from "./scopes.ts";

const bulkBody = validate({ json: bulkDecisionInputSchema });
const authorQuery = validate({
  param: { ref: z.string().refine((ref) => authorHashOfRef(ref) !== null, fieldMessages.authorRefInvalid) },
  query: { limit: limitSchema },
});
const statsQuery = validate({ query: { days: statsDaysSchema } });

/** How many decisions of one bulk request run at once (each is its own small transaction). */
const bulkConcurrency = 8;

type BulkResult = { commentId: string; status: 200 | 404 | 409; comment?: unknown; error?: Record<string, unknown> };

/** Moderation at scale: bulk decisions, an author's history and the site's stats. */
export function moderationAtScaleRoutes(deps: ResolvedDeps): RouteDef[] {
  const { store, now } = deps;
  return [
    {
      method: "post",
      path: "/v1/mod/sites/{siteId}/decisions",
      summary: "Decide up to 100 comments at once; each is decided on its own and gets its own result",
      auth: "moderatorKey",
      validators: [bulkBody],
      ok: { 200: { description: "One result per item, in the order sent (200 decided, 404 unknown, 409 already decided)", schema: bulkDecisionResultSchema } },
      errors: [...moderationErrors, ...jsonBodyErrors],
      handler: async (c) => {
        const input = bulkBody.values(c).json;
        const results: BulkResult[] = input.items.map((item) => ({ commentId: item.commentId, status: 404 }));
        const decided: (StoredComment | null)[] = input.items.map(() => null);
        const indexes = input.items.map((_, i) => i);
        await eachWithConcurrency(indexes, bulkConcurrency, async (i) => {
          const item = input.items[i]!;
          try {
            if (!isId(item.commentId)) throw new AppError("comment_not_found", messages.commentNotFound);
            decided[i] = await decideComment(deps, {
              site: c.var.site,
              threadId: item.threadId,
              commentId: item.commentId,
              action: input.action,
              note: input.note ?? null,
              moderator: c.var.principal.who,
            });
          } catch (error) {
            if (isAppError(error, "comment_not_found")) results[i] = { commentId: item.commentId, status: 404, error: errorBody(error).error };
            else if (isAppError(error, "already_decided")) results[i] = { commentId: item.commentId, status: 409, error: errorBody(error).error };
            else throw error;
          }
        });
        const done = decided.flatMap((comment, i) => (comment ? [{ comment, i }] : []));
        const views = await modViews(store, done.map((d) => d.comment), now());
        done.forEach(({ i }, n) => (results[i] = { commentId: input.items[i]!.commentId, status: 200, comment: views[n] }));
        return c.json({ results });
      },
    },
    {
      method: "get",
      path: "/v1/mod/sites/{siteId}/authors/{ref}/comments",
      summary: "Every comment of one author on the site (any status), newest first",
      auth: "moderatorKey",
      validators: [authorQuery],
      ok: { 200: { description: "Newest first", schema: authorCommentsPageSchema } },
      errors: [...moderationErrors, "validation_failed"],
      handler: async (c) => {
        const { param, query } = authorQuery.values(c);
        const page = await store.listAuthorComments(c.var.site.id, authorHashOfRef(param.ref)!, query.limit, c.req.query("cursor") ?? null);
        return c.json({ items: await modViews(store, page.items, now()), nextCursor: page.nextCursor });
      },
    },
    {
      method: "get",
      path: "/v1/mod/sites/{siteId}/stats",
      summary: "The queue now and the last `days` (1..90, default 7) days of decisions and comments; at most 2 + ⌈queue size / ~500⌉ Queries",
      auth: "moderatorKey",
      validators: [statsQuery],
      ok: { 200: { description: "Stats (UTC dates, oldest first)", schema: moderationStatsSchema } },
      errors: [...moderationErrors, "validation_failed"],
      handler: async (c) => {
        const siteId = c.var.site.id;
        const dates = statsDates(now(), statsQuery.values(c).query.days);
        const [days, queue] = await Promise.all([store.readDayStats(siteId, dates[0]!, dates[dates.length - 1]!), store.readQueueEntries(siteId)]);
        return c.json(moderationStats({ dates, days, queue }));
      },
    },
  ];
}
