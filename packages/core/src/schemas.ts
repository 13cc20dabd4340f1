import * as z from "zod";
import { decisionActions } from "./audit-actions.ts";
import { fieldMessages as says, messages } from "./messages.ts";
import { roles } from "./principal.ts";
import { threadSorts } from "./sites.ts";

/** Lifecycle of a stored comment. */
export const commentStatuses = ["pending", "published", "rejected", "spam"] as const;
export type CommentStatus = (typeof commentStatuses)[number];

/** Treats `""` and `null` as "not given". */
const absentIfEmpty = (value: unknown) => (value === "" || value === null ? undefined : value);

/** Printable: no control, surrogate, private-use, unassigned or line/paragraph separator characters. */
const printable = /^[^\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]+$/u;

/** A thread id: 1..200 printable characters (counted as code points). */
export const threadIdSchema = z
  .string()
  .refine((value) => {
    const length = [...value].length;
    return length >= 1 && length <= 200 && printable.test(value);
  }, says.threadIdInvalid);

/** The body of `POST …/comments`. Unknown keys are dropped here, the one place untrusted input is trimmed to shape. */
export const commentInputSchema = z.object({
  author: z.preprocess(
    (value) => (value === undefined ? {} : value),
    z.object(
      {
        name: z
          .string({ error: (issue) => (issue.input === undefined ? messages.nameEmpty : says.nameNotText) })
          .refine((name) => name.trim() !== "", messages.nameEmpty)
          .refine((name) => [...name.trim()].length <= 100, says.nameTooLong),
        email: z.preprocess(
          absentIfEmpty,
          z.email({ error: says.emailInvalid }).max(254, says.emailInvalid).optional(),
        ),
        url: z.preprocess(
          absentIfEmpty,
          z
            .url({ protocol: /^https?$/, hostname: z.regexes.domain, error: says.urlInvalid })
            .max(2000, says.urlTooLong)
            .optional(),
        ),
      },
      { error: says.authorNotObject },
    ),
  ),
  body: z
    .string({ error: (issue) => (issue.input === undefined ? messages.bodyEmpty : says.bodyNotText) })
    .refine((body) => body.trim() !== "", messages.bodyEmpty),
  parentId: z.preprocess(absentIfEmpty, z.string().max(64, says.parentUnknown).optional()),
  captchaToken: z
    .string({ error: says.captchaTokenRequired })
    .min(1, says.captchaTokenRequired)
    .max(8192, says.captchaTokenTooLong),
  website: z.preprocess((v) => (v === null ? undefined : v), z.string({ error: says.mustBeText }).max(2000).optional()),
  /** Sent again after a `422 nudge`: the reader read the warning and wants the comment reviewed as it is. */
  acknowledgeNudge: z.preprocess((v) => (v === null ? undefined : v), z.boolean({ error: says.acknowledgeNudgeBoolean }).optional()),
  /** Email me: replies to this comment, or every new comment of the thread (needs an email, checked by the route). */
  notify: z.preprocess(absentIfEmpty, z.enum(["replies", "thread"], { error: says.notifyInvalid }).optional()),
  /** The page the comment was written on (its origin is checked against the site's by the route). */
  page: z.preprocess(
    (v) => (v === null ? undefined : v),
    z
      .object(
        {
          url: z.url({ protocol: /^https?$/, error: says.pageUrlInvalid }).max(2000, says.pageUrlInvalid),
          title: z.preprocess(absentIfEmpty, z.string({ error: says.mustBeText }).max(300, says.pageTitleTooLong).optional()),
        },
        { error: says.pageNotObject },
      )
      .optional(),
  ),
});
export type CommentInput = z.infer<typeof commentInputSchema>;

/**
 * The body of a post by a signed-in reader: the author comes from the sign-in token (`author` is ignored when
 * sent) and `captchaToken` may be left out unless the site asks signed-in readers for a captcha.
 */
export const signedInCommentInputSchema = commentInputSchema.omit({ author: true, captchaToken: true }).extend({
  captchaToken: z.preprocess(
    absentIfEmpty,
    z.string({ error: says.captchaTokenRequired }).max(8192, says.captchaTokenTooLong).optional(),
  ),
});
export type SignedInCommentInput = z.infer<typeof signedInCommentInputSchema>;

/** The body of `PATCH …/comments/{commentId}`: the new text, checked like a new comment's. */
export const editInputSchema = z.object({ body: commentInputSchema.shape.body });
export type EditInput = z.infer<typeof editInputSchema>;

/** The optional `X-Edit-Token` header of an edit or delete. */
export const editTokenHeaderSchema = z.string().regex(/^[\x21-\x7E]{1,200}$/, says.editTokenInvalid).optional();

/** Why a reader flags a comment. */
export const flagReasons = ["spam", "abuse", "off_topic", "other"] as const;

export const flagReasonSchema = z.enum(flagReasons, { error: says.flagReason });
export type FlagReason = z.output<typeof flagReasonSchema>;

/** The body of `POST …/flags`. */
export const flagInputSchema = z.object({ reason: flagReasonSchema });

/** The body of a moderation decision. */
export const decisionInputSchema = z.object({
  action: z.enum(decisionActions, { error: says.decisionAction }),
  note: z.preprocess(absentIfEmpty, z.string().max(1000, says.noteTooLong).optional()),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/** The body of `POST /v1/mod/sites/{siteId}/bans`. */
export const banInputSchema = z.object({
  threadId: threadIdSchema,
  commentId: z.string().min(1, says.commentIdRequired).max(64, says.commentUnknown),
  reason: z.string({ error: says.reasonRequired }).trim().min(1, says.reasonRequired).max(500, says.reasonTooLong),
  days: z.preprocess(
    (v) => (v === null ? undefined : v),
    z.number({ error: says.daysWhole }).int(says.daysWhole).min(1, says.daysAtLeastOne).max(36500).optional(),
  ),
  /** Also reject every published and pending comment of that author on the site (each audited). */
  purge: z.preprocess((v) => (v === null ? undefined : v), z.boolean({ error: says.purgeBoolean }).optional()),
});
export type BanInput = z.infer<typeof banInputSchema>;

/** The body of `POST /v1/mod/keys`: a new key's name, its sites and its role (moderator unless told). */
export const keyInputSchema = z.object({
  name: z.string({ error: says.keyNameRequired }).trim().min(1, says.keyNameRequired).max(100, says.keyNameRequired),
  sites: z.array(z.string({ error: says.keySites }).min(1, says.keySites).max(100, says.keySites), { error: says.keySites }).min(1, says.keySites).max(50, says.keySites),
  role: z.enum(roles, { error: says.keyRole }).default("moderator"),
});
export type KeyInput = z.infer<typeof keyInputSchema>;

/** The body of `POST /v1/mod/sites/{siteId}/decisions`: up to 100 comments and one decision for all. */
export const bulkDecisionInputSchema = z.object({
  items: z
    .array(z.object({ threadId: threadIdSchema, commentId: z.string().min(1, says.commentIdRequired).max(64, says.commentUnknown) }), { error: says.bulkItems })
    .min(1, says.bulkItems)
    .max(100, says.bulkItems),
  action: z.enum(decisionActions, { error: says.decisionAction }),
  note: z.preprocess(absentIfEmpty, z.string().max(1000, says.noteTooLong).optional()),
});
export type BulkDecisionInput = z.infer<typeof bulkDecisionInputSchema>;

/** `?days=` of the stats route: 1..90, default 7. */
export const statsDaysSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return 7;
    const n = /^\d{1,2}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > 90) {
      ctx.addIssue({ code: "custom", message: says.statsDays });
      return z.NEVER;
    }
    return n;
  });

/** `limit` query parameter: 1..100, default 50. */
export const limitSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return 50;
    const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      ctx.addIssue({ code: "custom", message: says.limitRange });
      return z.NEVER;
    }
    return n;
  });

/** Turns zod issues into `{ "dotted.path": "first message" }`. */
export function fieldsFromZodError(error: z.ZodError, prefix?: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== "").join(".") || "request";
    fields[path] ??= issue.message;
  }
  return fields;
}

/** `thread` query parameters of `GET …/counts`: at most 100 thread ids; the first problem found is the one reported. */
export const threadListSchema = z.array(z.string()).superRefine((ids, ctx) => {
  if (ids.length > 100) {
    ctx.addIssue({ code: "custom", message: says.tooManyThreads });
    return;
  }
  const bad = ids.findIndex((id) => !threadIdSchema.safeParse(id).success);
  if (bad >= 0) ctx.addIssue({ code: "custom", message: says.threadIdInvalid, path: [bad] });
});

/** The optional `Idempotency-Key` header: 1..255 visible ASCII characters. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7E]{1,255}$/, says.idempotencyKey).optional();

/** `sort` query parameter of a thread page: one of `threadSorts`, absent means the site's `defaultSort`. */
export const sortSchema = z.enum(threadSorts, { error: says.sortInvalid }).optional();
