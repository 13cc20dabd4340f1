import type { Context, MiddlewareHandler } from "hono";
import { AppError, messages } from "@comments/core";
import type { AppEnv } from "../deps.ts";

/** Options for {@link originGuard}. */
export interface OriginGuardOptions {
  /** Origins allowed for this request. */
  allowedOrigins: (c: Context<AppEnv>) => readonly string[];
  /** Headers a browser may send. */
  allowHeaders?: string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

/**
 * CORS for listed origins only. No `Origin` header: allowed, no CORS headers. A listed origin: allowed and
 * echoed. Any other origin: `403 origin_not_allowed`, preflight included.
 */
export function originGuard(options: OriginGuardOptions): MiddlewareHandler<AppEnv> {
  const allowHeaders = (options.allowHeaders ?? ["Content-Type", "Idempotency-Key", "Authorization", "If-None-Match"]).join(", ");
  return async function checkOrigin(c, next) {
    const origin = c.req.header("origin");
    if (origin === undefined) {
      await next();
      // Shared caches must not hand a no-Origin answer to a browser that needs CORS headers.
      c.res.headers.append("Vary", "Origin");
      return;
    }
    if (!options.allowedOrigins(c).includes(origin)) {
      throw new AppError("origin_not_allowed", messages.originNotAllowed);
    }
    if (c.req.method === "OPTIONS") {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
      c.header("Access-Control-Allow-Headers", allowHeaders);
      c.header("Access-Control-Max-Age", String(options.maxAge ?? 600));
      c.header("Vary", "Origin");
      return c.body(null, 204);
    }
    await next();
    c.res.headers.set("Access-Control-Allow-Origin", origin);
    c.res.headers.set("Access-Control-Expose-Headers", "ETag, Retry-After");
    c.res.headers.append("Vary", "Origin");
  };
}
