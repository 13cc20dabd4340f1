import type { MiddlewareHandler } from "hono";
import { AppError, messages, type SiteConfig } from "@comments/core";
import type { AppEnv } from "../deps.ts";

/** Loads `:siteId` into `c.var.site`; an unknown site is `404 site_not_found`. */
export function siteLoader(sites: readonly SiteConfig[]): MiddlewareHandler<AppEnv> {
  const byId = new Map(sites.map((site) => [site.id, site]));
  return async function loadSite(c, next) {
    const site = byId.get(c.req.param("siteId") ?? "");
    if (!site) throw new AppError("site_not_found", messages.siteNotFound);
    c.set("site", site);
    await next();
  };
}
