import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `sha256=<hex>`: HMAC-SHA256 of `${timestamp}.${body}` with the signing key. */
export const signatureHeader = "X-Comments-Signature";
/** Header carrying the signing time in Unix seconds; it is part of the signed material. */
export const timestampHeader = "X-Comments-Timestamp";
/** Header carrying an id that stays the same across retries of one delivery (for de-duplication). */
export const deliveryHeader = "X-Comments-Delivery";

/**
 * Signs a webhook body: `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}`.
 * @example signWebhook(key, 1767225600, '{"text":"…"}') // "sha256=5f…"
 */
export function signWebhook(key: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", key).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver checks a delivery with. */
export interface WebhookToVerify {
  key: string;
  /** The raw request body, exactly as received. */
  body: string;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  /** Oldest accepted signing time, against replays. Default 300 seconds. */
  toleranceSeconds?: number;
  now?: Date;
}

/** Verifies a delivery's signature and freshness in constant time (what a receiver should do). */
export function verifyWebhook(input: WebhookToVerify): boolean {
  if (!input.signature || !input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(input.key, timestamp, input.body));
  const presented = Buffer.from(input.signature);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
