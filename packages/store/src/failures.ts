import { AppError } from "@comments/core";

/**
 * How the adapters tell the store's own failures (network, throttling, lost races: worth a retry, answered
 * `503`) from answers (a failed condition). Used by `send.ts`, the one way the store calls DynamoDB.
 */

/** A failed condition as DynamoDB reports it (items in DynamoDB's own attribute format). */
export interface RawConditionFailure {
  /** The item as it was, for a single write that asked for it (`ReturnValuesOnConditionCheckFailure`). */
  old: Record<string, unknown> | null;
  /** Per transaction item, in order: whether its condition failed, and the item as it was when asked for. */
  items: { failed: boolean; old: Record<string, unknown> | null }[];
}

/**
 * The failed condition DynamoDB reports in `error`, or null when it reports something else: the one place
 * the store recognises condition failures.
 */
export function conditionFailure(error: unknown): RawConditionFailure | null {
  const e = error as { name?: string; Item?: Record<string, unknown>; CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] };
  if (e?.name === "ConditionalCheckFailedException") return { old: e.Item ?? null, items: [] };
  const codes = cancellationCodes(error);
  if (!codes?.includes("ConditionalCheckFailed")) return null;
  const reasons = e.CancellationReasons ?? [];
  return { old: null, items: codes.map((code, i) => ({ failed: code === "ConditionalCheckFailed", old: reasons[i]?.Item ?? null })) };
}

/** True for failures of the store itself (network, throttling, server errors), as opposed to our conditions. */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string };
  if (!e || typeof e !== "object") return false;
  // A failed condition is an answer, not a failure.
  if (conditionFailure(error)) return false;
  if (e.name === "TransactionCanceledException") {
    // Lost races and throttled items are worth a retry (after withConflictRetry gave up).
    return (cancellationCodes(error) ?? []).some((code) => transientCancellations.has(code));
  }
  if (e.name === "ValidationException") return false;
  return true;
}

/** Cancellation reasons that say "try again later", not "no". */
const transientCancellations = new Set(["TransactionConflict", "ProvisionedThroughputExceeded", "ThrottlingError"]);

/** Runs a store call; failures of the store itself become `503 unavailable` (nothing was half-written). */
export async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isTransient(error)) {
      throw new AppError("unavailable", "The comment store is unavailable. Please try again shortly.", { retryAfter: 2, cause: error });
    }
    throw error;
  }
}

/** Reasons a transaction was cancelled, one per item in order ("None" for items that were fine). */
export function cancellationCodes(error: unknown): string[] | null {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== "TransactionCanceledException") return null;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? "None");
}

/** Retries a transaction that lost to a concurrent one (TransactionConflict), with backoff and jitter. */
export async function withConflictRetry<T>(run: (attempt: number) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      const conflict = cancellationCodes(error)?.includes("TransactionConflict") && !conditionFailure(error);
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
    }
  }
}

/** Exponential backoff with full jitter, capped at two seconds. */
export const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2000, 25 * 2 ** attempt)));

/** `503 unavailable` for a store that keeps leaving work unprocessed. */
export const storeBusy = (cause?: unknown) =>
  new AppError("unavailable", "The comment store is busy. Please try again shortly.", { retryAfter: 2, cause });

/**
 * Sends a batch call until nothing is left unprocessed (BatchGetItem, BatchWriteItem), backing off between
 * rounds; `send` takes what is still pending and returns what the store left over.
 */
export async function untilProcessed<T>(first: T[], send: (pending: T[]) => Promise<T[]>, maxAttempts = 10): Promise<void> {
  let pending = first;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= maxAttempts) throw storeBusy();
    if (attempt > 0) await backoff(attempt);
    pending = await guard(() => send(pending));
  }
}
