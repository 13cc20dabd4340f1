/**
 * Who is calling a moderation route, however they proved it. Moderator keys make principals today
 * (`via: "key"`, or `"dev"` for the local key); sign-in (`"sso"`) and admin keys extend the same model
 * instead of adding a second one.
 */
export type Role = "moderator" | "admin";

/** How the principal proved who it is. */
export type PrincipalVia = "key" | "sso" | "dev";

/** Every site, as a key of {@link Principal.roles}. */
export const allSites = "*";

export interface Principal {
  /** The name the audit log records (a key's name, `dev` for the local key). */
  who: string;
  via: PrincipalVia;
  /** Role per site id; the key {@link allSites} (`"*"`) gives a role on every site. */
  roles: Readonly<Record<string, Role>>;
}

/** The principal's role on a site, or null when it may not act there. */
export function roleOn(principal: Principal, siteId: string): Role | null {
  return principal.roles[siteId] ?? principal.roles[allSites] ?? null;
}

/** True when the principal may moderate the site (every role moderates). */
export const canModerate = (principal: Principal, siteId: string): boolean => roleOn(principal, siteId) !== null;

/** The key roles, least powerful first. */
export const roles = ["moderator", "admin"] as const;

/** True when the principal is an admin on the site (admins manage the keys of their sites). */
export const isAdminOn = (principal: Principal, siteId: string): boolean => roleOn(principal, siteId) === "admin";

/** The principal's highest role anywhere (what `GET /v1/mod/me` reports). */
export const highestRole = (principal: Principal): Role => (Object.values(principal.roles).includes("admin") ? "admin" : "moderator");

/**
 * The principal of a stored moderator key: its role (moderator unless made an admin) on each site it was made for.
 * @example principalForKey("alice", ["demo"]) // { who: "alice", via: "key", roles: { demo: "moderator" } }
 */
export function principalForKey(name: string, sites: readonly string[], role: Role = "moderator"): Principal {
  return { who: name, via: "key", roles: Object.fromEntries(sites.map((site) => [site, role])) };
}

/** The local development key: `dev`, admin on every site. */
export const devPrincipal = (): Principal => ({ who: "dev", via: "dev", roles: { [allSites]: "admin" } });
