import { newId, type SiteConfig, type StoredComment } from "@comments/core";
import type { SubscriptionRecord } from "@comments/store";
import type { ResolvedDeps } from "../deps.ts";
import { normalizeAddress, redactAddresses } from "../mail/address.ts";
import { commentLanguage } from "../mail/language.ts";
import { derivedMailToken } from "../mail/tokens.ts";

/** A reader's wish to be mailed, from a comment post (`notify`). */
export interface SubscribeRequest {
  kind: "replies" | "thread";
  address: string;
  /** The host site vouches for the address (a signed-in reader with `email_verified: true`): no opt-in mail. */
  verified: boolean;
}

/**
 * Stores the subscription a post asked for, once the comment itself is stored. A spam comment gets none (no
 * mail may follow it); anything else gets one, unconfirmed until the mailed link is followed. Never throws:
 * the comment is stored and answered whatever becomes of its subscription (a failure is logged, without the
 * address).
 */
export async function subscribeAuthor(deps: ResolvedDeps, site: SiteConfig, comment: StoredComment, request: SubscribeRequest): Promise<void> {
  if (comment.status === "spam") return;
  const now = deps.now();
  const subscriptionId = newId(now.getTime());
  const record: SubscriptionRecord = {
    subscriptionId,
    siteId: site.id,
    threadId: comment.threadId,
    kind: request.kind,
    commentId: request.kind === "replies" ? comment.id : null,
    address: normalizeAddress(request.address),
    addressHash: deps.hasher.mailAddress(request.address),
    state: request.verified ? "confirmed" : "unconfirmed",
    language: commentLanguage(comment.body),
    createdAt: now.toISOString(),
    confirmedAt: request.verified ? now.toISOString() : null,
    unsubscribedAt: null,
  };
  try {
    // Both tokens are derived from the secret key and the id, so the mail sender (here or on the table
    // stream) can write them into links while the store keeps only their hashes.
    const confirm = request.verified ? null : derivedMailToken(deps.ipHashKey, "confirm", subscriptionId);
    const unsubscribe = derivedMailToken(deps.ipHashKey, "unsubscribe", subscriptionId);
    await deps.store.createSubscription(record, { confirmHash: confirm?.hash ?? null, unsubscribeHash: unsubscribe.hash }, now);
    deps.mailEvents?.subscriptionCreated(record);
  } catch (error) {
    deps.logger.error("subscription not stored", { site: site.id, comment: comment.id, cause: redactAddresses(String((error as Error)?.message ?? error)) });
  }
}
