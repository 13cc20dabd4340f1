import { randomBytes } from "node:crypto";
import { AppError, devPrincipal, messages, newId, principalForKey, type Principal, type Role } from "@comments/core";
import type { ModeratorKeyRecord, Store } from "@comments/store";
import { digestsEqual, sha256 } from "./hashing.ts";

/** Who a moderator key belongs to: its name, role and the sites it covers (`"*"`: every site, the local dev key). */
export interface Moderator {
  name: string;
  sites: string[] | "*";
  role: Role;
}

const keyPattern = /^mk_([0-9A-HJKMNP-TV-Z]{16})\.([A-Za-z0-9_-]{43})$/;

/**
 * Makes a new moderator key (role `moderator` unless told). The full key is shown once; only the hash of its
 * secret is stored.
 * @example const { key, record } = newModeratorKey("alice", ["demo"], new Date());
 */
export function newModeratorKey(name: string, sites: string[], now: Date, role: Role = "moderator"): { key: string; record: ModeratorKeyRecord } {
  const keyId = newId(now.getTime()).slice(10); // the 16 random base32 characters
  const secret = randomBytes(32).toString("base64url");
  return {
    key: `mk_${keyId}.${secret}`,
    record: { keyId, secretHash: sha256(secret), name, sites, role, createdAt: now.toISOString(), revokedAt: null },
  };
}

/** Reads the bearer key from an Authorization header; anything malformed is `401 unauthorized`. */
export function bearerKey(header: string | undefined): string {
  const match = header ? /^Bearer\s+(\S{1,256})\s*$/i.exec(header) : null;
  if (!match) throw unauthorized();
  return match[1]!;
}

/**
 * Resolves a presented key to its moderator. The local dev key and stored keys are compared by hash in
 * constant time; revoked and unknown keys are refused alike.
 */
export async function authenticateModerator(presented: string, store: Store, devKey: string | null): Promise<Moderator> {
  const presentedHash = sha256(presented);
  if (devKey && digestsEqual(presentedHash, sha256(devKey))) return { name: "dev", sites: "*", role: "admin" };
  const match = keyPattern.exec(presented);
  if (!match) throw unauthorized();
  const record = await store.getModeratorKey(match[1]!);
  const secretHash = sha256(match[2]!);
  // Compare even when the record is missing, so unknown and wrong keys take the same time.
  const matches = digestsEqual(secretHash, record?.secretHash ?? "0".repeat(64));
  if (!record || !matches || record.revokedAt !== null) throw unauthorized();
  return { name: record.name, sites: record.sites, role: record.role };
}

/** The principal of a moderator key: the dev key is an admin `via: "dev"` on every site, a stored key has its role on its own sites. */
export const principalOf = (moderator: Moderator): Principal =>
  moderator.sites === "*" ? devPrincipal() : principalForKey(moderator.name, moderator.sites, moderator.role);

const unauthorized = () => new AppError("unauthorized", messages.unauthorized);
