import { messages, toPublicComment, type CommentInput, type SiteConfig, type StoredComment } from "@comments/core";
import type { IdempotencyClaim } from "@comments/store";
import type { ResolvedDeps } from "../deps.ts";
import { canonicalJson, sha256 } from "../hashing.ts";
import { runCreatePipeline } from "../pipeline/run.ts";
import { withIdempotency } from "./idempotency.ts";

/** The answer to a comment post: 201 published or 202 queued (spam is answered like queued). */
export interface PostAnswer {
  status: 201 | 202;
  body: Record<string, unknown>;
}

/** A comment post as the route hands it over, validated (`validatePostRequest` in routes/public.ts). */
export interface PostRequest {
  site: SiteConfig;
  threadId: string;
  input: CommentInput;
  /** The body exactly as sent: "same request" for idempotency means a deep-equal body. */
  rawJson: unknown;
  idempotencyKey: string | undefined;
  ip: string;
}

/**
 * A comment post in the contract's order: (validation, done by the route) → idempotent replay (or waiting for the
 * same request still in flight) → the create pipeline (gates, content phases, outside phases) → one transactional
 * write that also completes the `Idempotency-Key`.
 */
export async function postComment(deps: ResolvedDeps, request: PostRequest): Promise<PostAnswer> {
  const now = deps.now();
  const requestHash = sha256(canonicalJson({ threadId: request.threadId, body: request.rawJson }));
  return withIdempotency(deps.store, { siteId: request.site.id, key: request.idempotencyKey, requestHash, now: deps.now }, (claim) =>
    storeNewComment(deps, request, now, claim),
  );
}

/** The post once it holds its idempotency claim (or has no key): the pipeline, then one transactional write. */
async function storeNewComment(deps: ResolvedDeps, request: PostRequest, now: Date, claim: IdempotencyClaim | null): Promise<PostAnswer> {
  const { site } = request;
  const { comment, rateWindows } = await runCreatePipeline(deps, request, now);
  const answer = answerFor(comment);

  await deps.store.createComment(comment, {
    now,
    rateLimit: { ipHash: comment.ipHash, perMinute: site.rateLimit.perMinute, perHour: site.rateLimit.perHour, seen: rateWindows.seen },
    duplicate: {
      digest: deps.hasher.digest(`${comment.authorHash}\n${comment.body.trim().replace(/\s+/g, " ")}`),
      windowMinutes: site.moderation.duplicateWindowMinutes,
    },
    // The answer is recorded in the comment's own transaction, completing the claim.
    ...(claim ? { idempotency: { claim, status: answer.status, body: answer.body } } : {}),
  });

  await Promise.all([countForStats(deps, comment), comment.status === "pending" ? deps.announceQueued(site, comment) : undefined]);
  return answer;
}

/**
 * Counts the stored comment in the site's daily stats: one write after the comment's transaction, so the post's
 * transaction stays as small as it was. A failure here loses one count, never the comment (logged, not answered).
 */
async function countForStats(deps: ResolvedDeps, comment: StoredComment): Promise<void> {
  if (comment.status === "rejected") return;
  try {
    await deps.store.countPost({ siteId: comment.siteId, at: comment.createdAt, outcome: comment.status });
  } catch (error) {
    deps.logger.error("stats count failed", { siteId: comment.siteId, commentId: comment.id, cause: String(error) });
  }
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
