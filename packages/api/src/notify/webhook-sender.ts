import { deliveryHeader, signatureHeader, signWebhook, timestampHeader } from "./signature.ts";

/** How hard a delivery tries: attempts in all, exponential backoff between them, a timeout per attempt. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubled for each further one. */
  baseDelayMs: number;
  /** No wait is longer than this (Retry-After included). */
  maxDelayMs: number;
  /** One attempt is abandoned after this long. */
  timeoutMs: number;
}

/** 5 attempts, waits of 1, 2, 4, 8 s (at most 15 s of waiting), 5 s per attempt. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, timeoutMs: 5000 };

/** The outcome of one delivery to one URL. */
export interface DeliveryResult {
  url: string;
  ok: boolean;
  attempts: number;
  /** The last HTTP status, or null when no answer came. */
  status: number | null;
  /** Why the last attempt failed. */
  error?: string;
}

/** One signed webhook delivery. */
export interface WebhookDelivery {
  url: string;
  /** The JSON body, sent and signed byte for byte. */
  body: string;
  signingKey: string;
  /** Stays the same across retries, so receivers can drop duplicates. */
  deliveryId: string;
  policy?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Answers worth another try: the receiver is busy or broken, not refusing this request. */
const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * POSTs a signed JSON body, retrying network errors, timeouts, 408/425/429 and 5xx with bounded exponential
 * backoff. Each attempt is signed afresh (the timestamp is part of the signature). Never throws.
 */
export async function deliverWebhook(delivery: WebhookDelivery): Promise<DeliveryResult> {
  const policy = { ...defaultRetryPolicy, ...delivery.policy };
  const send = delivery.fetch ?? fetch;
  const sleep = delivery.sleep ?? wait;
  let result: DeliveryResult = { url: delivery.url, ok: false, attempts: 0, status: null };

  for (let attempt = 1; attempt <= Math.max(1, policy.attempts); attempt++) {
    const timestamp = Math.floor((delivery.now?.() ?? new Date()).getTime() / 1000);
    let retryAfterMs = 0;
    try {
      const response = await send(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "comments-webhook/1",
          [timestampHeader]: String(timestamp),
          [signatureHeader]: signWebhook(delivery.signingKey, timestamp, delivery.body),
          [deliveryHeader]: delivery.deliveryId,
        },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { url: delivery.url, ok: true, attempts: attempt, status: response.status };
      result = { url: delivery.url, ok: false, attempts: attempt, status: response.status, error: `HTTP ${response.status}` };
      if (!retryable(response.status)) return result;
      retryAfterMs = Number(response.headers.get("retry-after") ?? 0) * 1000 || 0;
    } catch (error) {
      const name = (error as { name?: string }).name;
      const reason = name === "TimeoutError" ? `timed out after ${policy.timeoutMs} ms` : String((error as Error).cause ?? (error as Error).message);
      result = { url: delivery.url, ok: false, attempts: attempt, status: null, error: reason };
    }
    if (attempt < policy.attempts) {
      await sleep(Math.min(policy.maxDelayMs, Math.max(retryAfterMs, backoff(policy.baseDelayMs, attempt))));
    }
  }
  return result;
}

/** The wait after attempt `n`: base × 2^(n−1), with up to 20 % jitter so many senders do not retry in step. */
function backoff(baseDelayMs: number, attempt: number): number {
  const exact = baseDelayMs * 2 ** (attempt - 1);
  return Math.round(exact * (0.8 + Math.random() * 0.2));
}
