import { Hono, type Handler } from "hono";
import type * as z from "zod";
import type { ErrorCode } from "@comments/core";
import type { AppEnv } from "../deps.ts";
import type { Validator } from "../middleware/validate.ts";

/** One success answer of a route, as the OpenAPI document describes it. */
export interface SuccessDoc {
  description: string;
  /** The body's schema (from `@comments/core` contract.ts); absent for bodiless answers. */
  schema?: z.ZodType;
}

/**
 * One route of the HTTP contract. The Hono app mounts it and the OpenAPI document describes it from this same
 * entry, so the two cannot drift: request schemas come from its validators, error answers from its `errors`
 * (their status from the one code → status table).
 */
export interface RouteDef {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path template (`/v1/sites/{siteId}/config`). */
  path: string;
  summary: string;
  /**
   * Moderation routes need `Authorization: Bearer <moderator key>`; public routes that act for a signed-in
   * reader take an optional `Authorization: Bearer <reader token>` (`readerToken`).
   */
  auth?: "moderatorKey" | "readerToken";
  /** Run in order before the handler; each answers `400 validation_failed` on its own. */
  validators?: readonly Validator<any>[];
  /** Success answers by status. */
  ok: Record<number, SuccessDoc>;
  /** Error codes this route may answer with (including those of the middleware in front of it). */
  errors?: readonly ErrorCode[];
  handler: Handler<AppEnv>;
}

/** A group of routes on its own Hono app, with the middleware that guards them (origin, site, key). */
export interface RouteGroup {
  app: Hono<AppEnv>;
  routes: readonly RouteDef[];
}

/** `/v1/sites/{siteId}` → `/v1/sites/:siteId`. */
export const honoPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1");

/** Mounts `routes` on a new app after the middleware `guard` adds (its `use` and CORS preflight answers). */
export function routeGroup(routes: readonly RouteDef[], guard: (app: Hono<AppEnv>) => void = () => undefined): RouteGroup {
  const app = new Hono<AppEnv>();
  guard(app);
  // Hono's typed overloads want literal handler lists; the table's are assembled, so register through a plain signature.
  const on = app.on as unknown as (method: string, path: string, ...handlers: Handler<AppEnv>[]) => unknown;
  for (const route of routes) {
    on.call(app, route.method.toUpperCase(), honoPath(route.path), ...(route.validators ?? []).map((v) => v.middleware as Handler<AppEnv>), route.handler);
  }
  return { app, routes };
}
