import { messages, toPublicComment, type CommentInput, type SiteConfig, type StoredComment } from "@comments/core";
import type { IdempotencyClaim } from "@comments/store";
import type { SsoReader } from "../auth/sso.ts";
import type { ResolvedDeps } from "../deps.ts";
import { canonicalJson, sha256 } from "../hashing.ts";
import { runCreatePipeline } from "../pipeline/run.ts";
import { editGrant } from "./edit-grant.ts";
import { subscribeAuthor, type SubscribeRequest } from "./subscribe.ts";
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
  /** For a signed-in reader, the author fields are the token's (see `signedInInput`). */
  input: CommentInput;
  /** The body exactly as sent: "same request" for idempotency means a deep-equal body. */
  rawJson: unknown;
  idempotencyKey: string | undefined;
  ip: string;
  /** The reader the host site signed in, or null for a guest. */
  reader: SsoReader | null;
  /** `notify` with the address to mail (checked by the route: a post asking for mail carries one). */
  subscribe?: SubscribeRequest | null;
}

/**
 * A comment post in the contract's order: (validation, done by the route) → idempotent replay (or waiting for the
 * same request still in flight) → the create pipeline (gates, content phases, outside phases) → one transactional
 * write that also completes the `Idempotency-Key`. The edit token is added to the answer after the replay
 * record is written, so it is never stored (only its hash, on the comment).
 */
export async function postComment(deps: ResolvedDeps, request: PostRequest): Promise<PostAnswer> {
  const now = deps.now();
  const who = request.reader ? { reader: request.reader.sub } : {};
  const requestHash = sha256(canonicalJson({ threadId: request.threadId, body: request.rawJson, ...who }));
  const answer = await withIdempotency(deps.store, { siteId: request.site.id, key: request.idempotencyKey, requestHash, now: deps.now }, (claim) =>
    storeNewComment(deps, request, now, claim),
  );
  const comment = answer.body.comment as { id: string; createdAt: string };
  return { status: answer.status, body: { ...answer.body, ...editGrant(deps, request.site, comment)?.answer } };
}

/**
 * The post once it holds its idempotency claim (or has no key): the pipeline, then one transactional write, which
 * also counts the comment in the day's stats (on the rate-limit item it updates anyway).
 */
async function storeNewComment(deps: ResolvedDeps, request: PostRequest, now: Date, claim: IdempotencyClaim | null): Promise<PostAnswer> {
  const { site } = request;
  const outcome = await runCreatePipeline(deps, request, now);
  const comment: StoredComment = { ...outcome.comment, editTokenHash: editGrant(deps, site, outcome.comment)?.tokenHash ?? null };
  const answer = answerFor(comment);

  await deps.store.createComment(comment, {
    now,
    rateLimit: { ipHash: outcome.rateKey, perMinute: site.rateLimit.perMinute, perHour: site.rateLimit.perHour, seen: outcome.rateWindows.seen },
    // The guard is kept on the author's item, so the digest names the thread and the body.
    duplicate: {
      digest: deps.hasher.digest(`${comment.threadId}\n${comment.body.trim().replace(/\s+/g, " ")}`),
      windowMinutes: site.moderation.duplicateWindowMinutes,
      seen: outcome.author?.seen ?? null,
    },
    // The answer is recorded in the comment's own transaction, completing the claim.
    ...(claim ? { idempotency: { claim, status: answer.status, body: answer.body } } : {}),
  });
  // This process's cached pages of the thread go at once: the reader sees their own comment on the next read.
  deps.readCache.invalidate(site.id, comment.threadId);

  if (comment.status === "pending") await deps.announceQueued(site, comment);
  // Mail follows only what is durably stored: the subscription after the comment, the notifications after both.
  if (request.subscribe) await subscribeAuthor(deps, site, comment, request.subscribe);
  if (comment.status === "published") deps.mailEvents?.commentPublished(site, comment);
  return answer;
}

/** The answer of a stored comment (without its edit grant); spam is answered exactly like a queued comment. */
export function answerFor(comment: StoredComment): PostAnswer {
  if (comment.status === "published") {
    return { status: 201, body: { comment: { ...toPublicComment(comment), status: "published" } } };
  }
  // Spam is answered exactly like a queued comment: no hint to the spammer.
  return {
    status: 202,
    body: { comment: { ...toPublicComment(comment), status: "pending" }, message: messages.awaitingModeration },
  };
}

/** A signed-in reader's post as the pipeline takes it: author from the token, no captcha token unless one was sent. */
export function signedInInput(reader: SsoReader, input: Omit<CommentInput, "author" | "captchaToken"> & { captchaToken?: string | undefined }): CommentInput {
  return {
    ...input,
    author: { name: reader.name, ...(reader.email ? { email: reader.email } : {}), ...(reader.url ? { url: reader.url } : {}) },
    captchaToken: input.captchaToken ?? "",
  };
}
