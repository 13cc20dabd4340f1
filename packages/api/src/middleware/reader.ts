import type { MiddlewareHandler } from "hono";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { bearerToken, invalidToken, verifySsoToken } from "../auth/sso.ts";

/**
 * Signs in the reader of a public request: an `Authorization: Bearer <token>` header must hold a token the
 * site's host signed (`auth.ssoSecretEnv`), else `401 invalid_token` before anything is read or stored. Any
 * Bearer token on a site without sign-in is refused the same way. Without the header the reader is a guest.
 */
export function readerSignIn(deps: Pick<ResolvedDeps, "secrets" | "now">): MiddlewareHandler<AppEnv> {
  return async function signInReader(c, next) {
    const token = bearerToken(c.req.header("authorization"));
    if (token !== null) {
      const site = c.var.site;
      const secretEnv = site.auth.ssoSecretEnv;
      const secret = secretEnv === null ? undefined : deps.secrets?.[secretEnv];
      if (!secret) throw invalidToken("this site does not sign readers in");
      c.set("reader", await verifySsoToken(token, { secret, siteId: site.id, now: deps.now() }));
    }
    await next();
  };
}
