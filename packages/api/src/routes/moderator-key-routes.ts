import type { MiddlewareHandler } from "hono";
import {
  AppError,
  fieldMessages,
  isAdminOn,
  keyInputSchema,
  messages,
  moderatorKeyCreatedSchema,
  moderatorKeyListSchema,
  validationFailed,
  type Principal,
} from "@comments/core";
import type { AppEnv, ResolvedDeps } from "../deps.ts";
import { validate } from "../middleware/validate.ts";
import { newModeratorKey } from "../moderator-keys.ts";
import type { RouteDef } from "./route-table.ts";
import { jsonBodyErrors } from "./scopes.ts";

const keyBody = validate({ json: keyInputSchema });
const keyIdPattern = /^[0-9A-HJKMNP-TV-Z]{16}$/;
const forbidden = () => new AppError("forbidden", messages.adminOnly);

/** Keys routes answer 403 to a key that is an admin nowhere, before looking at the request any further. */
export const requireAdminSomewhere: MiddlewareHandler<AppEnv> = async function requireAdminSomewhere(c, next) {
  if (c.req.method !== "OPTIONS" && !Object.values(c.var.principal.roles).includes("admin")) throw forbidden();
  await next();
};

/** True when the principal is an admin on every one of the sites. */
const adminOnAll = (principal: Principal, sites: readonly string[]) => sites.every((site) => isAdminOn(principal, site));

/** Key management for admins: list, create (the key shown once) and revoke keys of their own sites. */
export function moderatorKeyRoutes(deps: ResolvedDeps): RouteDef[] {
  const { store, now } = deps;
  const known = new Set(deps.sites.map((site) => site.id));
  const errors = ["origin_not_allowed", "unauthorized", "forbidden"] as const;
  return [
    {
      method: "get",
      path: "/v1/mod/keys",
      summary: "The keys of the sites this admin key manages (never a secret or its hash)",
      auth: "moderatorKey",
      ok: { 200: { description: "Active keys, oldest first", schema: moderatorKeyListSchema } },
      errors,
      handler: async (c) => {
        const keys = (await store.listModeratorKeys()).filter((key) => adminOnAll(c.var.principal, key.sites));
        return c.json({ items: keys.map((key) => ({ id: key.keyId, name: key.name, sites: key.sites, role: key.role, createdAt: key.createdAt })) });
      },
    },
    {
      method: "post",
      path: "/v1/mod/keys",
      summary: "Create a moderator or admin key for sites this admin key manages; the key is shown only in this answer",
      auth: "moderatorKey",
      validators: [keyBody],
      ok: { 201: { description: "The new key (store it now) and its id", schema: moderatorKeyCreatedSchema } },
      errors: [...errors, ...jsonBodyErrors],
      handler: async (c) => {
        const input = keyBody.values(c).json;
        const sites = [...new Set(input.sites)];
        const unknown = sites.find((site) => !known.has(site));
        if (unknown !== undefined) throw validationFailed({ sites: fieldMessages.siteUnknown(unknown) });
        if (!adminOnAll(c.var.principal, sites)) throw forbidden();
        const { key, record } = newModeratorKey(input.name, sites, now(), input.role);
        await store.putModeratorKey(record);
        return c.json({ key, id: record.keyId }, 201);
      },
    },
    {
      method: "delete",
      path: "/v1/mod/keys/{id}",
      summary: "Revoke a key of sites this admin key manages",
      auth: "moderatorKey",
      ok: { 204: { description: "Revoked" } },
      errors: [...errors, "key_not_found"],
      handler: async (c) => {
        const id = c.req.param("id") ?? "";
        const record = keyIdPattern.test(id) ? await store.getModeratorKey(id) : null;
        if (!record || record.revokedAt !== null) throw new AppError("key_not_found", messages.keyNotFound);
        if (!adminOnAll(c.var.principal, record.sites)) throw forbidden();
        await store.revokeModeratorKey(id, now());
        return c.body(null, 204);
      },
    },
  ];
}
