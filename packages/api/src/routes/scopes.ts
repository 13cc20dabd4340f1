import type { ErrorCode } from "@comments/core";

/** Errors every public route may answer (site loader, origin guard, reader sign-in). */
export const publicErrors: readonly ErrorCode[] = ["site_not_found", "origin_not_allowed", "invalid_token"];

/** Errors every moderation route under a site may answer (origin guard, key 401, site 404, scope 403). */
export const moderationErrors: readonly ErrorCode[] = ["origin_not_allowed", "unauthorized", "site_not_found", "forbidden"];

/** Errors of a route that reads a JSON body. */
export const jsonBodyErrors: readonly ErrorCode[] = ["payload_too_large", "invalid_json", "validation_failed"];
