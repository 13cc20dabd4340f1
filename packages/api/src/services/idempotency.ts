import { randomUUID } from "node:crypto";
import { AppError } from "@comments/core";
import { IdempotencyClaimLost, type IdempotencyClaim, type IdempotencyRecord, type Store } from "@comments/store";

/**
 * Idempotency as a service, as Powertools does it, for every write a reader may retry (post today; edit,
 * delete and like later):
 *
 * 1. The attempt claims the key with a short-lived in-progress record (one conditional write).
 * 2. A duplicate of a completed request gets the stored answer again; of a request still in flight, it waits
 *    for that attempt's outcome (polling with backoff) and returns it — it never runs the operation, so it never
 *    calls a captcha provider or an outside check a second time.
 * 3. The operation writes its completion in the same transaction as its own change (see `completionPut`).
 * 4. An operation that fails (any error: 4xx or 5xx) releases the claim, so a retry runs afresh; only
 *    successful answers are ever stored, so only they are replayed.
 *
 * Same key with a different request: `422 idempotency_key_reused`.
 */

/** An answer an operation gives and a duplicate gets again. */
export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

/** The store side {@link withIdempotency} needs. */
export type IdempotencyStore = Pick<Store, "claimIdempotency" | "getIdempotency" | "releaseIdempotency">;

/** One idempotent request. */
export interface IdempotentRequest {
  siteId: string;
  /** The request's Idempotency-Key; without one the operation simply runs. */
  key: string | undefined;
  /** Hash of what makes two requests "the same" (site, target and deep-equal body). */
  requestHash: string;
  /** The clock records are dated by (the app's, injectable in tests). */
  now: () => Date;
}

/** Timing of {@link withIdempotency}. */
export interface IdempotencyOptions {
  /**
   * How long a claim holds the key before another attempt may take it over: longer than any attempt runs
   * (the API function's timeout is 15 s), short enough that a crashed attempt does not block retries long.
   */
  leaseMs?: number;
  /** How long a duplicate waits for the first attempt's outcome before answering `503 unavailable`. */
  waitMs?: number;
}

const defaults = { leaseMs: 20_000, waitMs: 12_000 };

/**
 * Runs `operation` at most once per Idempotency-Key (see the module comment). The operation receives the claim
 * it holds (null without a key) and must complete it in the transaction that makes its change.
 * @example return withIdempotency(deps.store, { siteId, key, requestHash, now: deps.now }, (claim) => create(claim));
 */
export async function withIdempotency<A extends IdempotentAnswer>(
  store: IdempotencyStore,
  request: IdempotentRequest,
  operation: (claim: IdempotencyClaim | null) => Promise<A>,
  options: IdempotencyOptions = {},
): Promise<A> {
  const { key } = request;
  if (key === undefined) return operation(null);
  const { leaseMs, waitMs } = { ...defaults, ...options };
  const deadline = Date.now() + waitMs;

  for (;;) {
    const outcome = await store.claimIdempotency({ siteId: request.siteId, key, requestHash: request.requestHash, attemptId: randomUUID(), now: request.now(), leaseMs });
    if (outcome.claimed) return runClaimed(store, request, outcome.claim, operation, { deadline, leaseMs });
    const settled = await awaitOutcome(store, request, outcome.existing, deadline);
    if (settled) return settled as A;
    // The first attempt failed and released the key: this one runs afresh.
    if (Date.now() >= deadline) throw stillInProgress(1);
  }
}

async function runClaimed<A extends IdempotentAnswer>(
  store: IdempotencyStore,
  request: IdempotentRequest,
  claim: IdempotencyClaim,
  operation: (claim: IdempotencyClaim) => Promise<A>,
  { deadline, leaseMs }: { deadline: number; leaseMs: number },
): Promise<A> {
  try {
    return await operation(claim);
  } catch (error) {
    if (error instanceof IdempotencyClaimLost) {
      // This attempt ran past its lease and another took the key over; nothing of ours was written.
      const current = await store.getIdempotency(request.siteId, claim.key, request.now());
      const settled = current ? await awaitOutcome(store, request, current, deadline) : null;
      if (settled) return settled as A;
      throw stillInProgress(1);
    }
    await store.releaseIdempotency(claim).catch(() => {
      // The store failed (as it may have for the operation itself): keep trying in the background, so a retry
      // after the store is back does not wait out the whole lease.
      void releaseLater(store, claim, Date.now() + leaseMs);
    });
    throw error;
  }
}

/**
 * The stored answer of a completed duplicate, waiting while its first attempt is in flight. Null when the key
 * is free again (the first attempt failed). Throws `idempotency_key_reused` for a different request and
 * `503 unavailable` when the first attempt does not finish in time.
 */
async function awaitOutcome(
  store: IdempotencyStore,
  request: IdempotentRequest,
  first: IdempotencyRecord,
  deadline: number,
): Promise<IdempotentAnswer | null> {
  let record: IdempotencyRecord | null = first;
  for (let poll = 0; record; poll++) {
    if (record.requestHash !== request.requestHash) {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used for a different request.");
    }
    if (record.state === "completed") return { status: record.status, body: record.body };
    const now = request.now().getTime();
    if (record.inProgressUntil <= now) return null; // lapsed: the attempt died, the key may be claimed again
    if (Date.now() >= deadline) throw stillInProgress(Math.ceil((record.inProgressUntil - now) / 1000));
    await pause(Math.min(50 * 1.5 ** poll, 500, Math.max(0, deadline - Date.now())));
    record = await store.getIdempotency(request.siteId, request.key!, request.now());
  }
  return null;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a release with backoff until it succeeds or the lease would have run out anyway. */
async function releaseLater(store: IdempotencyStore, claim: IdempotencyClaim, until: number): Promise<void> {
  for (let attempt = 0; Date.now() < until; attempt++) {
    // Unref'd: a pending release never keeps a process alive.
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)).unref());
    try {
      await store.releaseIdempotency(claim);
      return;
    } catch {
      // still failing: try again
    }
  }
}

function stillInProgress(retryAfterSeconds: number): AppError {
  return new AppError("unavailable", "A request with this Idempotency-Key is still being processed. Please try again shortly.", {
    retryAfter: Math.max(1, retryAfterSeconds),
  });
}
