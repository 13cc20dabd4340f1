import * as z from "zod";

/**
 * Zod schemas of the API's responses. The OpenAPI document is generated from them and the contract
 * tests parse real responses with them, so the document cannot drift from what the API sends.
 */
export const publicCommentSchema = z.strictObject({
  id: z.string(),
  threadId: z.string(),
  parentId: z.string().nullable(),
  author: z.strictObject({ name: z.string(), url: z.string().nullable() }),
  bodyHtml: z.string(),
  createdAt: z.iso.datetime(),
});

export const postedCommentSchema = publicCommentSchema.extend({ status: z.enum(["published", "pending"]) });

export const modCommentSchema = publicCommentSchema.extend({
  siteId: z.string(),
  status: z.enum(["pending", "published", "rejected", "spam"]),
  reasons: z.array(z.string()),
  details: z.array(z.string()),
  captchaScore: z.number().nullable(),
  flags: z.number().int(),
  flagReasons: z.record(z.string(), z.number().int()),
  author: z.strictObject({ name: z.string(), email: z.string().nullable(), url: z.string().nullable() }),
});

export const errorResponseSchema = z.object({
  error: z.looseObject({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    message: z.string().min(1),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

export const siteConfigResponseSchema = z.strictObject({
  siteId: z.string(),
  captcha: z.strictObject({ provider: z.enum(["recaptcha-v3", "turnstile", "hcaptcha", "test"]), siteKey: z.string().nullable() }),
  limits: z.strictObject({ maxBodyLength: z.number().int() }),
});

export const threadPageSchema = z.strictObject({
  thread: z.strictObject({ siteId: z.string(), threadId: z.string(), commentCount: z.number().int().min(0), closed: z.boolean() }),
  comments: z.array(publicCommentSchema),
  nextCursor: z.string().nullable(),
});

export const postAnswerSchema = z.union([
  z.strictObject({ comment: postedCommentSchema.extend({ status: z.literal("published") }) }),
  z.strictObject({ comment: postedCommentSchema.extend({ status: z.literal("pending") }), message: z.string() }),
]);

export const countsSchema = z.strictObject({ counts: z.record(z.string(), z.number().int().min(0)) });

export const queuePageSchema = z.strictObject({ items: z.array(modCommentSchema), nextCursor: z.string().nullable() });

export const auditPageSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      at: z.iso.datetime(),
      moderator: z.string(),
      action: z.string(),
      threadId: z.string(),
      commentId: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const banSchema = z.strictObject({ id: z.string(), reason: z.string(), createdAt: z.iso.datetime(), expiresAt: z.iso.datetime().nullable() });
