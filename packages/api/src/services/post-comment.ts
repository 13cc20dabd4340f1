import { AppError, messages, toPublicComment, type CommentInput, type SiteConfig, type StoredComment } from "@comments/core";
import { IdempotencyRace } from "@comments/store";
import type { ResolvedDeps } from "../deps.ts";
import { canonicalJson, sha256 } from "../hashing.ts";
import { runCreatePipeline } from "../pipeline/run.ts";

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

/** The key and request hash of a post sent with `Idempotency-Key`. */
interface IdempotencyClaim {
  key: string;
  requestHash: string;
}

/**
 * A comment post in the contract's order: (validation, done by the route) → idempotent replay → the create
 * pipeline (gates, content phases, outside phases) → one transactional write that also records the answer
 * for the `Idempotency-Key`.
 */
export async function postComment(deps: ResolvedDeps, request: PostRequest): Promise<PostAnswer> {
  const now = deps.now();
  const { site, threadId } = request;

  // Idempotency, step 1 of 2: a replay answers before any gate (no captcha call, no rate-limit count).
  const claim: IdempotencyClaim | null =
    request.idempotencyKey === undefined ? null : { key: request.idempotencyKey, requestHash: sha256(canonicalJson({ threadId, body: request.rawJson })) };
  if (claim) {
    const replay = await replayIdempotent(deps, site.id, claim, now);
    if (replay) return replay;
  }

  const comment = await runCreatePipeline(deps, request, now);
  const answer = answerFor(comment);

  try {
    await deps.store.createComment(comment, {
      now,
      rateLimit: { ipHash: comment.ipHash, perMinute: site.rateLimit.perMinute, perHour: site.rateLimit.perHour },
      duplicate: {
        digest: deps.hasher.digest(`${comment.authorHash}\n${comment.body.trim().replace(/\s+/g, " ")}`),
        windowMinutes: site.moderation.duplicateWindowMinutes,
      },
      // Idempotency, step 2 of 2: the answer is recorded in the comment's own transaction.
      ...(claim ? { idempotency: { ...claim, status: answer.status, body: answer.body } } : {}),
    });
  } catch (error) {
    if (error instanceof IdempotencyRace && claim) {
      const replay = await replayIdempotent(deps, site.id, claim, now);
      if (replay) return replay;
    }
    throw error;
  }

  if (comment.status === "pending") await deps.announceQueued(site, comment);
  return answer;
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

async function replayIdempotent(deps: ResolvedDeps, siteId: string, claim: IdempotencyClaim, now: Date): Promise<PostAnswer | null> {
  const stored = await deps.store.getIdempotency(siteId, claim.key, now);
  if (!stored) return null;
  if (stored.requestHash !== claim.requestHash) {
    throw new AppError("idempotency_key_reused", messages.idempotencyKeyReused);
  }
  return { status: stored.status as 201 | 202, body: stored.body as Record<string, unknown> };
}
