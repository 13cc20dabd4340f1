/**
 * Stable error codes shared by the API, the widget and the review page.
 * The HTTP status for each code lives in one table in `@comments/api` (error-mapper.ts).
 */
export type ErrorCode =
  | "not_found"
  | "invalid_json"
  | "validation_failed"
  | "payload_too_large"
  | "site_not_found"
  | "origin_not_allowed"
  | "thread_not_found"
  | "parent_not_found"
  | "comment_not_found"
  | "ban_not_found"
  | "key_not_found"
  | "captcha_failed"
  | "captcha_score_too_low"
  | "author_banned"
  | "thread_closed"
  | "duplicate_comment"
  | "rate_limited"
  | "idempotency_key_reused"
  | "already_decided"
  | "author_erased"
  | "unauthorized"
  | "forbidden"
  | "invalid_token"
  | "not_author"
  | "edit_window_closed"
  | "edit_limit"
  | "nudge"
  | "method_not_allowed"
  | "unavailable"
  | "internal_error";

/** The reader-facing messages live in `messages.ts`; re-exported here for the widget's browser-safe entry. */
export { messages, fieldMessages } from "./messages.ts";
import { messages } from "./messages.ts";

/**
 * A failure the caller can act on. `code` is stable, `message` is safe to show, `extra` holds
 * code-specific public keys (for example `status` on `already_decided`), `cause` stays in the logs.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly extra?: Record<string, unknown>;
  /** Seconds to wait before retrying (rate_limited, unavailable). */
  readonly retryAfter?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      fields?: Record<string, string>;
      extra?: Record<string, unknown>;
      retryAfter?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    if (options.fields) this.fields = options.fields;
    if (options.extra) this.extra = options.extra;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }
}

/** True when `error` is an {@link AppError} with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** `400 validation_failed` with a message per dotted field path; the one way to build it. */
export function validationFailed(fields: Record<string, string>): AppError {
  return new AppError("validation_failed", messages.validationFailed, { fields });
}
