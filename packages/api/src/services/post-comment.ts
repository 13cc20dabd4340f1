import {
  AppError,
  commentInputSchema,
  fieldsFromZodError,
  messages,
  moderate,
  newId,
  contentPhases,
  renderBody,
  threadIdSchema,
  validationFailed,
  toPublicComment,
  type CommentInput,
  type SiteConfig,
  type StoredComment,
} from "@comments/core";
import { rateLimited, type IdempotencyClaim } from "@comments/store";
import { verifyCaptcha } from "../captcha/verify.ts";
import type { ResolvedDeps } from "../deps.ts";
import { canonicalJson, sha256 } from "../hashing.ts";
import { withIdempotency } from "./idempotency.ts";

/** The answer to a comment post: 201 published or 202 queued (spam is answered like queued). */
export interface PostAnswer {
  status: 201 | 202;
  body: Record<string, unknown>;
}

/** A comment post as the route hands it over. */
export interface PostRequest {
  site: SiteConfig;
  threadId: string;
  json: unknown;
  idempotencyKey: string | undefined;
  ip: string;
}

const idempotencyKeyPattern = /^[\x21-\x7E]{1,255}$/;

/** Validates the path and body; every problem is reported under its dotted field path. */
export function validatePost(site: SiteConfig, threadId: string, json: unknown, idempotencyKey: string | undefined): CommentInput {
  const fields: Record<string, string> = {};
  const thread = threadIdSchema.safeParse(threadId);
  if (!thread.success) fields.threadId = thread.error.issues[0]?.message ?? "Invalid thread id";
  if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
    fields["Idempotency-Key"] = "Idempotency-Key must be 1 to 255 visible ASCII characters";
  }
  const parsed = commentInputSchema.safeParse(json);
  if (!parsed.success) Object.assign(fields, fieldsFromZodError(parsed.error));
  if (parsed.success && [...parsed.data.body].length > site.limits.maxBodyLength) {
    fields.body = `Your comment is too long (at most ${site.limits.maxBodyLength} characters).`;
  }
  if (!parsed.success || Object.keys(fields).length > 0) {
    throw validationFailed(fields);
  }
  return parsed.data;
}

/**
 * Runs a comment post through the contract's order: validation → idempotent replay → ban → closed
 * thread → rate limit → parent → captcha → content phases → one transactional write.
 */
export async function postComment(deps: ResolvedDeps, request: PostRequest): Promise<PostAnswer> {
  const now = deps.now();
  const input = validatePost(request.site, request.threadId, request.json, request.idempotencyKey);
  const requestHash = sha256(canonicalJson({ threadId: request.threadId, body: request.json }));
  return withIdempotency(deps.store, { siteId: request.site.id, key: request.idempotencyKey, requestHash, now: deps.now }, (claim) =>
    storeNewComment(deps, request, input, now, claim),
  );
}

/** The post after validation and the idempotency claim: ban → closed thread → … → one transactional write. */
async function storeNewComment(deps: ResolvedDeps, request: PostRequest, input: CommentInput, now: Date, claim: IdempotencyClaim | null): Promise<PostAnswer> {
  const { store, hasher } = deps;
  const { site, threadId } = request;

  const ipHash = hasher.ip(request.ip);
  const authorHash = hasher.author({ email: input.author.email ?? null, name: input.author.name }, ipHash);

  // The checks keep the contract's order; their reads go out together (one round trip instead of two or three).
  const [ban, thread, windows] = await Promise.all([
    store.findActiveBan(site.id, [authorHash, ipHash], now),
    site.closeAfterDays !== null ? store.getThread(site.id, threadId) : null,
    store.getRateWindows(site.id, ipHash, now),
  ]);
  if (ban) {
    throw new AppError("author_banned", "You can no longer comment on this site.");
  }

  if (thread && isThreadClosed(site, thread.firstCommentAt, now)) {
    throw new AppError("thread_closed", "This discussion is closed for new comments.");
  }

  if (windows.minute >= site.rateLimit.perMinute) throw rateLimited(windows.minuteEndsAt, now);
  if (windows.hour >= site.rateLimit.perHour) throw rateLimited(windows.hourEndsAt, now);

  const parentId = input.parentId ?? null;
  if (parentId !== null && !(await store.getPublishedComment(site.id, threadId, parentId))) {
    throw new AppError("parent_not_found", "The comment you are replying to does not exist.");
  }

  const captcha = await verifyCaptcha({
    site,
    token: input.captchaToken,
    remoteIp: request.ip,
    secret: site.captcha.secretEnv ? (deps.secrets ?? process.env)[site.captcha.secretEnv] : undefined,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  if (captcha.kind === "failed") throw new AppError("captcha_failed", messages.captchaFailed);

  const bodyHtml = renderBody(input.body);
  const decision = await moderate(
    {
      site,
      body: input.body,
      bodyHtml,
      website: input.website,
      captcha,
      authorHasPublished: site.moderation.premoderateFirstComment ? await store.authorHasPublished(site.id, authorHash) : true,
      threadId,
      authorName: input.author.name.trim(),
    },
    contentPhases,
    deps.extraPhases ?? [],
  );

  const createdAt = now.toISOString();
  const comment: StoredComment = {
    siteId: site.id,
    threadId,
    id: deps.newId?.() ?? newId(now.getTime()),
    parentId,
    authorName: input.author.name.trim(),
    authorEmail: input.author.email?.trim() ?? null,
    authorUrl: input.author.url ?? null,
    authorHash,
    ipHash,
    body: input.body,
    bodyHtml,
    createdAt,
    status: decision.status,
    reasons: decision.reasons,
    details: decision.details,
    captchaScore: captcha.kind === "passed" ? captcha.score : null,
    flags: 0,
    flagReasons: {},
    queuedAt: decision.status === "pending" ? createdAt : null,
  };
  const answer = answerFor(comment);

  await store.createComment(comment, {
    now,
    rateLimit: { ipHash, perMinute: site.rateLimit.perMinute, perHour: site.rateLimit.perHour, seen: windows.seen },
    duplicate: { digest: hasher.digest(`${authorHash}\n${input.body.trim().replace(/\s+/g, " ")}`), windowMinutes: site.moderation.duplicateWindowMinutes },
    ...(claim ? { idempotency: { claim, status: answer.status, body: answer.body } } : {}),
  });

  if (comment.status === "pending") await deps.announceQueued(site, comment);
  return answer;
}

/** True when `closeAfterDays` is set and the thread's first comment is older than that. */
export function isThreadClosed(site: SiteConfig, firstCommentAt: string | null, now: Date): boolean {
  if (site.closeAfterDays === null || firstCommentAt === null) return false;
  return now.getTime() - new Date(firstCommentAt).getTime() > site.closeAfterDays * 86_400_000;
}

function answerFor(comment: StoredComment): PostAnswer {
  if (comment.status === "published") {
    return { status: 201, body: { comment: { ...toPublicComment(comment), status: "published" } } };
  }
  // Spam is answered exactly like a queued comment: no hint to the spammer.
  return {
    status: 202,
    body: { comment: { ...toPublicComment(comment), status: "pending" }, message: messages.awaitingModeration },
  };
}
