import { epochSeconds, itemHeader, type Item, type WriteItem } from "./item.ts";

/**
 * Idempotency records (`I#<site>#<key>` / `I`), one per Idempotency-Key and site, kept 24 hours (TTL).
 *
 * As Powertools' idempotency does it: an attempt first *claims* the key with a short-lived in-progress record
 * (a conditional put that returns the existing record when it fails); the write that answers the request
 * *completes* it in the same transaction; an attempt that fails *releases* it so a retry runs afresh.
 * Records written before in-progress records existed carry no `state` and read as completed.
 */

/** How long a completed answer is replayed. */
export const idempotencyTtlSeconds = 24 * 3600;

/** The key of the idempotency record of `key` on a site. */
export const idempotencyKey = ({ siteId, key }: { siteId: string; key: string }) => ({ pk: `I#${siteId}#${key}`, sk: "I" });

/** One attempt's hold on a key: what its completion and release are conditional on. */
export interface IdempotencyClaim {
  siteId: string;
  key: string;
  requestHash: string;
  /** Identifies the attempt that holds the key. */
  attemptId: string;
}

/** A live idempotency record. */
export type IdempotencyRecord =
  | { state: "in_progress"; requestHash: string; /** Epoch ms after which another attempt may take the key over. */ inProgressUntil: number }
  | { state: "completed"; requestHash: string; status: number; body: unknown };

/** Reads a record; null when there is none or it expired (TTL deletes lazily). */
export function itemToIdempotency(item: Item | null | undefined, now: Date): IdempotencyRecord | null {
  if (!item || Number(item.ttl) <= epochSeconds(now)) return null;
  const requestHash = String(item.requestHash);
  if (item.state === "in_progress") return { state: "in_progress", requestHash, inProgressUntil: Number(item.inProgressUntil) };
  return { state: "completed", requestHash, status: Number(item.status), body: JSON.parse(String(item.body)) };
}

/**
 * The conditional put that claims a key: it succeeds when there is no live record, or when the in-progress
 * record of an attempt that never finished has lapsed. When it fails it returns the record that stands.
 */
export function claimPut(claim: IdempotencyClaim, now: Date, leaseMs: number) {
  const nowMs = now.getTime();
  return {
    Item: {
      ...idempotencyKey(claim),
      ...itemHeader("idempotency"),
      state: "in_progress",
      requestHash: claim.requestHash,
      attemptId: claim.attemptId,
      inProgressUntil: nowMs + leaseMs,
      ttl: epochSeconds(now) + idempotencyTtlSeconds,
    },
    ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :nowSeconds OR (#state = :inProgress AND inProgressUntil <= :nowMs)",
    ExpressionAttributeNames: { "#ttl": "ttl", "#state": "state" },
    ExpressionAttributeValues: { ":nowSeconds": epochSeconds(now), ":inProgress": "in_progress", ":nowMs": nowMs },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/** Condition that the attempt still holds its claim. */
const stillClaimed = (claim: IdempotencyClaim) => ({
  ConditionExpression: "#state = :inProgress AND attemptId = :attempt",
  ExpressionAttributeNames: { "#state": "state" },
  ExpressionAttributeValues: { ":inProgress": "in_progress", ":attempt": claim.attemptId },
});

/**
 * The transaction item that completes a claim with the answer to replay. Its condition fails when the attempt
 * lost its claim (it lapsed and another attempt took the key over), which cancels the whole transaction.
 */
export function completionPut(input: { claim: IdempotencyClaim; status: number; body: unknown; now: Date }): WriteItem {
  const { claim } = input;
  return {
    Put: {
      Item: {
        ...idempotencyKey(claim),
        ...itemHeader("idempotency"),
        state: "completed",
        requestHash: claim.requestHash,
        status: input.status,
        body: JSON.stringify(input.body),
        ttl: epochSeconds(input.now) + idempotencyTtlSeconds,
      },
      ...stillClaimed(claim),
    },
  };
}

/** The conditional delete that releases a claim after a failed attempt (a no-op once completed or taken over). */
export function releaseDelete(claim: IdempotencyClaim) {
  return { Key: idempotencyKey(claim), ...stillClaimed(claim) };
}
