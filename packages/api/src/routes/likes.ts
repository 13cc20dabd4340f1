import type { Context } from "hono";
import { AppError, isId, likeAnswerSchema, messages } from "@comments/core";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { threadParam } from "./params.ts";
import { publicErrors } from "./scopes.ts";
import type { RouteDef } from "./route-table.ts";

/** Like requests an IP may send per minute (DESIGN §6.3). */
export const likesPerMinute = 60;

/**
 * Who likes: the keyed hash that makes a like one per reader. Guests are their IP hash; the sign-in routes
 * pass the keyed hash of `sso:<sub>` instead (`readerOf` in the deps).
 */
export type LikeReader = (c: Context<AppEnv>, ipHash: string) => string | Promise<string>;

/** A guest is their IP hash. */
export const guestReader: LikeReader = (_c, ipHash) => ipHash;

/** A signed-in reader (verified by the sign-in middleware) likes by the keyed hash of `sso:<sub>`; a guest by IP. */
export const readerOrGuest =
  (deps: ResolvedDeps): LikeReader =>
  (c, ipHash) => {
    const reader = c.var.reader;
    return reader ? deps.hasher.ssoAuthor(reader.sub) : ipHash;
  };

/** `PUT` / `DELETE …/comments/{commentId}/like`: one like per reader, repeats change nothing. */
export function likeRoutes(deps: ResolvedDeps, readerOf: LikeReader = readerOrGuest(deps)): RouteDef[] {
  const setLike = (liked: boolean) => async (c: Context<AppEnv>) => {
    const commentId = c.req.param("commentId") ?? "";
    if (!isId(commentId)) throw new AppError("comment_not_found", messages.commentNotFound);
    const ipHash = deps.hasher.ip(deps.clientIp(c));
    const { threadId } = threadParam.values(c).param;
    const answer = await deps.store.setLike({
      siteId: c.var.site.id,
      threadId,
      commentId,
      reader: await readerOf(c, ipHash),
      ipHash,
      liked,
      perMinute: likesPerMinute,
      now: deps.now(),
    });
    // The page shows the count: the reader's next read (a reload) must show their like, not a cached page.
    deps.readCache.invalidate(c.var.site.id, threadId);
    return c.json(answer);
  };
  const shared = {
    path: "/v1/sites/{siteId}/threads/{threadId}/comments/{commentId}/like",
    validators: [threadParam],
    ok: { 200: { description: "The comment's likes and whether this reader likes it", schema: likeAnswerSchema } },
    errors: [...publicErrors, "validation_failed", "comment_not_found", "rate_limited", "unavailable"],
  } as const;
  return [
    { ...shared, method: "put", summary: "Like a published comment", handler: setLike(true) },
    { ...shared, method: "delete", summary: "Take back a like", handler: setLike(false) },
  ];
}
