import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * What a mail token may do. A token is good for one purpose only: its stored hash is taken over the purpose
 * and the token, so a confirmation token presented to the unsubscribe link matches nothing.
 */
export type TokenPurpose = "confirm" | "unsubscribe";

/** A token to put in a link, and the only thing the store keeps of it. */
export interface IssuedToken {
  /** 43 URL-safe characters (256 bits): goes into the mail, never into the store. */
  token: string;
  /** Hex SHA-256 over the purpose and the token: what the store keeps and looks up. */
  hash: string;
}

const tokenBytes = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * A fresh random token, e.g. for a double opt-in link (single use: the store deletes the hash once used).
 * @example const { token, hash } = newMailToken("confirm"); // mail `token`, store `hash`
 */
export function newMailToken(purpose: TokenPurpose): IssuedToken {
  const token = randomBytes(tokenBytes).toString("base64url");
  return { token, hash: mailTokenHash(purpose, token) };
}

/**
 * A token derived from a secret key and a subscription id, so every mail of a subscription can carry the same
 * unsubscribe link while the store keeps only its hash. Unguessable without the key; reveals nothing.
 */
export function derivedMailToken(key: string, purpose: TokenPurpose, subjectId: string): IssuedToken {
  if (key.length < 16) throw new Error("The mail token key must be at least 16 characters long");
  const token = createHmac("sha256", key).update(`${purpose}:${subjectId}`).digest("base64url");
  return { token, hash: mailTokenHash(purpose, token) };
}

/**
 * The stored hash of a token presented in a link, or null when the text cannot be one of our tokens (so a
 * malformed link is answered without a store read).
 */
export function mailTokenHash(purpose: TokenPurpose, token: string): string;
export function mailTokenHash(purpose: TokenPurpose, token: string | null | undefined): string | null;
export function mailTokenHash(purpose: TokenPurpose, token: string | null | undefined): string | null {
  if (typeof token !== "string" || !tokenPattern.test(token)) return null;
  return createHash("sha256").update(`${purpose}:${token}`).digest("hex");
}
