import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Keyed hashes for personal data: IP addresses and author identities are stored only as HMACs with a
 * secret key, so a leaked table does not reveal them.
 */
export function createHasher(secret: string) {
  if (secret.length < 16) throw new Error("The IP hash key must be at least 16 characters long");
  const hmac = (value: string) => createHmac("sha256", secret).update(value).digest("hex").slice(0, 32);
  return {
    /** Keyed hash of a client IP address. */
    ip: (ip: string) => hmac(`ip:${ip}`),
    /** An author: the lower-cased email, or without one, name + IP hash. */
    author: (author: { email?: string | null; name: string }, ipHash: string) =>
      author.email ? hmac(`email:${author.email.trim().toLowerCase()}`) : hmac(`name:${author.name.trim().toLowerCase()}:${ipHash}`),
    /** Keyed hash of an email address (mail caps, gathering, suppression: the address never goes in a key). */
    mailAddress: (address: string) => hmac(`mail:${address.trim().toLowerCase()}`),
    /** Keyed digest of arbitrary text (duplicate detection). */
    digest: (value: string) => hmac(`digest:${value}`),
    /** A reader the host site signed in: the keyed hash of `sso:<sub>` (bans, limits and ownership follow it). */
    ssoAuthor: (sub: string) => hmac(`sso:${sub}`),
    /**
     * A comment's edit token: 256 bits derived with the secret key from the comment's random id, so an idempotent
     * replay can hand it out again while only its hash is ever stored.
     */
    editToken: (siteId: string, commentId: string) => createHmac("sha256", secret).update(`edit-token:${siteId}:${commentId}`).digest("base64url"),
  };
}
export type Hasher = ReturnType<typeof createHasher>;

/** SHA-256 hex of a string. */
export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** JSON with object keys sorted, so deep-equal values give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
