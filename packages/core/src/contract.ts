import * as z from "zod";
import { commentStatuses, flagReasons } from "./schemas.ts";
import { captchaProviders } from "./sites.ts";

/**
 * Zod schemas of the API's responses. The OpenAPI document is generated from them and the contract
 * tests parse real responses with them, so the document cannot drift from what the API sends. The public types
 * (`PublicComment`, `ModComment`, …) are derived from them at the end of this module.
 */
export const publicCommentSchema = z.strictObject({
  id: z.string(),
  threadId: z.string(),
  parentId: z.string().nullable(),
  author: z.strictObject({ name: z.string(), url: z.string().nullable() }),
  bodyHtml: z.string(),
  createdAt: z.iso.datetime(),
  /** How many readers like it. */
  likes: z.number().int().min(0),
  /** On a top-level comment of a thread page: how many of its published replies the page does not show. */
  moreReplies: z.number().int().min(1).optional(),
});

export const postedCommentSchema = publicCommentSchema.extend({ status: z.enum(["published", "pending"]) });

export const modCommentSchema = publicCommentSchema.extend({
  siteId: z.string(),
  status: z.enum(commentStatuses),
  reasons: z.array(z.string()),
  details: z.array(z.string()),
  captchaScore: z.number().nullable(),
  flags: z.number().int(),
  flagReasons: z.partialRecord(z.enum(flagReasons), z.number().int()),
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
  captcha: z.strictObject({ provider: z.enum(captchaProviders), siteKey: z.string().nullable() }),
  limits: z.strictObject({ maxBodyLength: z.number().int() }),
  liveUpdateSeconds: z.number().int().min(0),
});

/** The thread object of a thread page. */
export const threadSummarySchema = z.strictObject({
  siteId: z.string(),
  threadId: z.string(),
  commentCount: z.number().int().min(0),
  closed: z.boolean(),
  /** The page the thread lives on, as the latest post reported it. */
  url: z.string().nullable(),
  title: z.string().nullable(),
});

export const threadPageSchema = z.strictObject({
  thread: threadSummarySchema,
  comments: z.array(publicCommentSchema),
  nextCursor: z.string().nullable(),
  /** First page only: up to three comments moderators featured, most recently featured first. */
  featured: z.array(publicCommentSchema).optional(),
});

/** `GET …/comments/{rootId}/replies`: the replies of a top-level comment that its thread page does not show. */
export const repliesPageSchema = z.strictObject({ comments: z.array(publicCommentSchema), nextCursor: z.string().nullable() });

/** `PUT` / `DELETE …/comments/{commentId}/like`. */
export const likeAnswerSchema = z.strictObject({ likes: z.number().int().min(0), liked: z.boolean() });

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
      /** One of `auditActions` (audit-actions.ts); kept open so entries written by older releases still parse. */
      action: z.string(),
      threadId: z.string(),
      commentId: z.string(),
      fromStatus: z.enum(commentStatuses).nullable(),
      toStatus: z.enum(commentStatuses).nullable(),
      note: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const banSchema = z.strictObject({ id: z.string(), reason: z.string(), createdAt: z.iso.datetime(), expiresAt: z.iso.datetime().nullable() });

/** An active ban in `GET …/bans`: the ban plus where it came from (hashes are never returned). */
export const banListItemSchema = banSchema.extend({ threadId: z.string().nullable(), commentId: z.string().nullable(), authorName: z.string().nullable() });

/** `GET /v1/mod/me`: who the key belongs to and which sites it covers. */
export const moderatorMeSchema = z.strictObject({ name: z.string(), sites: z.array(z.strictObject({ id: z.string(), name: z.string() })) });

/** A comment as every reader sees it (no email, no hashes, no status). */
export type PublicComment = z.output<typeof publicCommentSchema>;
/** A comment as a moderator sees it; `details` explains each of `reasons` in plain words, in the same order. */
export type ModComment = z.output<typeof modCommentSchema>;
/** A thread's public summary. */
export type ThreadSummary = z.output<typeof threadSummarySchema>;
/** One entry of the audit log. */
export type AuditEntry = z.output<typeof auditPageSchema>["items"][number];
/** An author ban, as moderators see it. */
export type Ban = z.output<typeof banListItemSchema>;
