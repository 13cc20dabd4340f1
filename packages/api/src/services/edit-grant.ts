import type { SiteConfig } from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";
import { digestsEqual, sha256 } from "../hashing.ts";

/** What a post's answer grants its author: the edit token (never stored), its hash (stored) and the deadline. */
export interface EditGrant {
  answer: { editToken: string; editableUntil: string };
  tokenHash: string;
}

/** When the site's edit window for a comment written at `createdAt` closes. */
export const editableUntil = (site: SiteConfig, createdAt: string): Date =>
  new Date(Date.parse(createdAt) + site.moderation.editWindowMinutes * 60_000);

/**
 * The edit grant of a comment, or null when the site turned editing off (`editWindowMinutes: 0`). The token is
 * derived from the comment's random id with the secret key, so the replay of a post hands out the same token.
 */
export function editGrant(deps: Pick<ResolvedDeps, "hasher">, site: SiteConfig, comment: { id: string; createdAt: string }): EditGrant | null {
  if (site.moderation.editWindowMinutes === 0) return null;
  const editToken = deps.hasher.editToken(site.id, comment.id);
  return { answer: { editToken, editableUntil: editableUntil(site, comment.createdAt).toISOString() }, tokenHash: sha256(editToken) };
}

/** True when `token` is the one whose hash the comment stores (compared in constant time). */
export function editTokenMatches(token: string | undefined, storedHash: string | null | undefined): boolean {
  return token !== undefined && typeof storedHash === "string" && digestsEqual(sha256(token), storedHash);
}
