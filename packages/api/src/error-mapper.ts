import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, messages, type ErrorCode } from "@comments/core";
import type { Logger } from "./logger.ts";

/** The one table from error code to HTTP status. */
export const statusByCode: Record<ErrorCode, ContentfulStatusCode> = {
  not_found: 404,
  invalid_json: 400,
  validation_failed: 400,
  payload_too_large: 413,
  site_not_found: 404,
  origin_not_allowed: 403,
  thread_not_found: 404,
  parent_not_found: 404,
  comment_not_found: 404,
  ban_not_found: 404,
  key_not_found: 404,
  captcha_failed: 403,
  captcha_score_too_low: 403,
  author_banned: 403,
  thread_closed: 409,
  duplicate_comment: 409,
  rate_limited: 429,
  idempotency_key_reused: 422,
  already_decided: 409,
  author_erased: 409,
  unauthorized: 401,
  forbidden: 403,
  invalid_token: 401,
  not_author: 403,
  edit_window_closed: 403,
  edit_limit: 409,
  nudge: 422,
  method_not_allowed: 405,
  unavailable: 503,
  internal_error: 500,
};

/** The error body of the contract: `{"error": {"code", "message", "fields"?, ...extra}}`. */
export function errorBody(error: AppError) {
  return {
    error: {
      ...error.extra,
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
    },
  };
}

/**
 * Turns any thrown value into the contract's error response. Unknown errors are logged with their cause
 * and answered as 500 without details; everything the service expects is an {@link AppError}.
 */
export function respondWithError(c: Context, thrown: unknown, logger: Logger) {
  const error =
    thrown instanceof AppError
      ? thrown
      : new AppError("internal_error", messages.internalError, { cause: thrown });
  const status = statusByCode[error.code];
  if (status >= 500) {
    logger.error("request failed", {
      code: error.code,
      method: c.req.method,
      path: c.req.path,
      cause: error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause ?? error.message),
    });
  }
  if (error.retryAfter !== undefined) c.header("Retry-After", String(Math.max(1, Math.ceil(error.retryAfter))));
  return c.json(errorBody(error), status);
}
