import * as z from "zod";
import { commentStatuses, flagReasons } from "./schemas.ts";
import { captchaProviders } from "./sites.ts";
import { roles } from "./principal.ts";

/**
 * Zod schemas of the API's responses. The OpenAPI document is generated from them and the contract
 * tests parse real responses with them, so the document cannot drift from what the API sends. The public types
 * (`PublicComment`, `ModComment`, …) are derived from them at the end of this module.
 */
export const publicCommentSchema = z.strictObject({
  id: z.string(),
  threadId: z.string(),
  parentId: z.string().nullable(),
  author: z.strictObject({
    name: z.string(),
    url: z.string().nullable(),
    /** Signed in by the host site (SSO); false for guests. */
    verified: z.boolean(),
    /** `"staff"` for a signed-in reader whose token says `role: "staff"`. */
    badge: z.enum(["staff"]).nullable(),
    /** The signed-in reader's avatar (https only); null for guests. */
    avatar: z.string().nullable(),
  }),
  bodyHtml: z.string(),
  createdAt: z.iso.datetime(),
  /** When the author last edited the comment. */
  editedAt: z.iso.datetime().nullable(),
  /** Present (true) only on the placeholder a deleted comment with replies leaves behind. */
  deleted: z.literal(true).optional(),
  /** How many readers like it. */
  likes: z.number().int().min(0),
  /** On a top-level comment of a thread page: how many of its published replies the page does not show. */
  moreReplies: z.number().int().min(1).optional(),
});

export const postedCommentSchema = publicCommentSchema.extend({ status: z.enum(["published", "pending"]) });

/** Everything stored about a comment that may be shown to its moderators or (data export) its own author. */
export const commentRecordSchema = publicCommentSchema.extend({
  siteId: z.string(),
  status: z.enum(commentStatuses),
  reasons: z.array(z.string()),
  details: z.array(z.string()),
  captchaScore: z.number().nullable(),
  flags: z.number().int(),
  flagReasons: z.partialRecord(z.enum(flagReasons), z.number().int()),
  author: z.strictObject({ name: z.string(), email: z.string().nullable(), url: z.string().nullable() }),
  /** Earlier bodies of an edited comment, oldest first; `at` is when that body was written. */
  history: z.array(z.strictObject({ body: z.string(), at: z.iso.datetime() })),
});

/** How many of an author's comments on a site are in each status. */
export const authorCountsSchema = z.strictObject({
  published: z.number().int().min(0),
  pending: z.number().int().min(0),
  rejected: z.number().int().min(0),
  spam: z.number().int().min(0),
});

/**
 * A comment with the context a moderator decides by: the article (`thread`), the comment replied to, earlier
 * versions, and the author's record on the site (`ref` opens "all comments by this author").
 */
export const modCommentSchema = commentRecordSchema.extend({
  thread: z.strictObject({ url: z.string().nullable(), title: z.string().nullable() }),
  parent: publicCommentSchema.nullable(),
  author: z.strictObject({
    name: z.string(),
    email: z.string().nullable(),
    url: z.string().nullable(),
    /** Opaque reference of the author on this site (`GET …/authors/{ref}/comments`); null once erased. */
    ref: z.string().nullable(),
    counts: authorCountsSchema,
    banned: z.boolean(),
  }),
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
  /** Sign-in from the host site: whether the site accepts reader tokens, and where "Sign in" sends a guest. */
  auth: z.strictObject({ signIn: z.boolean(), loginUrl: z.string().nullable(), captchaForSignedIn: z.boolean() }),
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

/**
 * What lets the author change their comment later: only a post's answer (and its idempotent replay) carries it,
 * absent when the site's `editWindowMinutes` is 0.
 */
const editGrant = {
  /** Opaque, at least 128 bits; send it back as `X-Edit-Token` to edit or delete. Only its hash is stored. */
  editToken: z.string().min(22).optional(),
  editableUntil: z.iso.datetime().optional(),
};
/** `GET …/comments/{rootId}/replies`: the replies of a top-level comment that its thread page does not show. */
export const repliesPageSchema = z.strictObject({ comments: z.array(publicCommentSchema), nextCursor: z.string().nullable() });

/** `PUT` / `DELETE …/comments/{commentId}/like`. */
export const likeAnswerSchema = z.strictObject({ likes: z.number().int().min(0), liked: z.boolean() });

export const postAnswerSchema = z.union([
  z.strictObject({ comment: postedCommentSchema.extend({ status: z.literal("published") }), ...editGrant }),
  z.strictObject({ comment: postedCommentSchema.extend({ status: z.literal("pending") }), message: z.string(), ...editGrant }),
]);

/** The answer to an edit (`PATCH …/comments/{commentId}`): the comment as it now stands; `message` when it waits for a moderator. */
export const editAnswerSchema = z.union([
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

/** `GET /v1/mod/me`: who the key belongs to, its role and which sites it covers. */
export const moderatorMeSchema = z.strictObject({
  name: z.string(),
  role: z.enum(roles),
  sites: z.array(z.strictObject({ id: z.string(), name: z.string() })),
});

/** A moderator key as admins see it (`GET /v1/mod/keys`): never its secret nor its hash. */
export const moderatorKeySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  sites: z.array(z.string()),
  role: z.enum(roles),
  createdAt: z.iso.datetime(),
});

export const moderatorKeyListSchema = z.strictObject({ items: z.array(moderatorKeySchema) });

/** `POST /v1/mod/keys`: the new key, shown this once, and its id. */
export const moderatorKeyCreatedSchema = z.strictObject({ key: z.string(), id: z.string() });

/** `POST /v1/mod/sites/{siteId}/decisions`: one result per item, in the order sent. */
export const bulkDecisionResultSchema = z.strictObject({
  results: z.array(
    z.strictObject({
      commentId: z.string(),
      status: z.union([z.literal(200), z.literal(404), z.literal(409)]),
      comment: modCommentSchema.optional(),
      /** On 404 and 409: the error code and message a single decision would have answered. */
      error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});

/** `GET /v1/mod/sites/{siteId}/authors/{ref}/comments`: newest first. */
export const authorCommentsPageSchema = z.strictObject({ items: z.array(modCommentSchema), nextCursor: z.string().nullable() });

/** `GET /v1/mod/sites/{siteId}/stats?days=`: the queue now and the last `days` days (UTC dates, oldest first). */
export const moderationStatsSchema = z.strictObject({
  queue: z.strictObject({ size: z.number().int().min(0), oldestAt: z.iso.datetime().nullable(), byReason: z.record(z.string(), z.number().int().min(0)) }),
  decisions: z.strictObject({
    perDay: z.array(z.strictObject({ date: z.iso.date(), approve: z.number().int().min(0), reject: z.number().int().min(0), spam: z.number().int().min(0) })),
    timeToDecision: z.strictObject({ p50Seconds: z.number().min(0).nullable(), p95Seconds: z.number().min(0).nullable() }),
    byModerator: z.array(z.strictObject({ moderator: z.string(), count: z.number().int().min(0) })),
  }),
  comments: z.strictObject({
    perDay: z.array(z.strictObject({ date: z.iso.date(), published: z.number().int().min(0), pending: z.number().int().min(0), spam: z.number().int().min(0) })),
  }),
});

/** A comment as every reader sees it (no email, no hashes, no status). */
export type PublicComment = z.output<typeof publicCommentSchema>;
/** A stored comment's record (moderators' base view, readers' data export). */
export type CommentRecord = z.output<typeof commentRecordSchema>;
/** A comment as a moderator sees it; `details` explains each of `reasons` in plain words, in the same order. */
export type ModComment = z.output<typeof modCommentSchema>;
/** An author's counts by status on a site. */
export type AuthorCounts = z.output<typeof authorCountsSchema>;
/** The moderation stats of a site. */
export type ModerationStats = z.output<typeof moderationStatsSchema>;
/** A moderator key as admins see it. */
export type ModeratorKeyView = z.output<typeof moderatorKeySchema>;
/** A thread's public summary. */
export type ThreadSummary = z.output<typeof threadSummarySchema>;
/** One entry of the audit log. */
export type AuditEntry = z.output<typeof auditPageSchema>["items"][number];
/** An author ban, as moderators see it. */
export type Ban = z.output<typeof banListItemSchema>;
