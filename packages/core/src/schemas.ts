import * as z from "zod";
import { messages } from "./errors.ts";

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
  }, "Thread id must be 1 to 200 printable characters");

/** The body of `POST …/comments`. Unknown keys are dropped here, the one place untrusted input is trimmed to shape. */
export const commentInputSchema = z.object({
  author: z.preprocess(
    (value) => (value === undefined ? {} : value),
    z.object(
      {
        name: z
          .string({ error: (issue) => (issue.input === undefined ? messages.nameEmpty : "Name must be text") })
          .refine((name) => name.trim() !== "", messages.nameEmpty)
          .refine((name) => [...name.trim()].length <= 100, "Please keep your name under 100 characters"),
        email: z.preprocess(
          absentIfEmpty,
          z.email({ error: "Please enter a valid email address" }).max(254, "Please enter a valid email address").optional(),
        ),
        url: z.preprocess(
          absentIfEmpty,
          z
            .url({ protocol: /^https?$/, hostname: z.regexes.domain, error: "Please enter a full website address starting with http:// or https://" })
            .max(2000, "Please keep the website address under 2000 characters")
            .optional(),
        ),
      },
      { error: "Author must be an object with a name" },
    ),
  ),
  body: z
    .string({ error: (issue) => (issue.input === undefined ? messages.bodyEmpty : "Comment must be text") })
    .refine((body) => body.trim() !== "", messages.bodyEmpty),
  parentId: z.preprocess(absentIfEmpty, z.string().max(64, "Unknown parent comment").optional()),
  captchaToken: z
    .string({ error: "Captcha token is required" })
    .min(1, "Captcha token is required")
    .max(8192, "Captcha token is too long"),
  website: z.preprocess((v) => (v === null ? undefined : v), z.string({ error: "Must be text" }).max(2000).optional()),
});
export type CommentInput = z.infer<typeof commentInputSchema>;

export const flagReasonSchema = z.enum(["spam", "abuse", "off_topic", "other"], {
  error: "Reason must be one of spam, abuse, off_topic, other",
});

/** The body of `POST …/flags`. */
export const flagInputSchema = z.object({ reason: flagReasonSchema });

/** The body of a moderation decision. */
export const decisionInputSchema = z.object({
  action: z.enum(["approve", "reject", "spam"], { error: "Action must be approve, reject or spam" }),
  note: z.preprocess(absentIfEmpty, z.string().max(1000, "Please keep the note under 1000 characters").optional()),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;
export type DecisionAction = DecisionInput["action"];

/** The body of `POST /v1/mod/sites/{siteId}/bans`. */
export const banInputSchema = z.object({
  threadId: threadIdSchema,
  commentId: z.string().min(1, "Comment id is required").max(64, "Unknown comment"),
  reason: z.string({ error: "Reason is required" }).trim().min(1, "Reason is required").max(500, "Please keep the reason under 500 characters"),
  days: z.preprocess(
    (v) => (v === null ? undefined : v),
    z.number({ error: "Days must be a whole number" }).int("Days must be a whole number").min(1, "Days must be at least 1").max(36500).optional(),
  ),
});
export type BanInput = z.infer<typeof banInputSchema>;

/** `limit` query parameter: 1..100, default 50. */
export const limitSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return 50;
    const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      ctx.addIssue({ code: "custom", message: "Limit must be a whole number from 1 to 100" });
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
