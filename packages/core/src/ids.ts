import { randomBytes } from "node:crypto";

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32, sorts like the numbers it encodes

/** Encodes a millisecond timestamp as 10 base32 characters (sortable as text). */
export function encodeTime(ms: number): string {
  let out = "";
  let rest = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    out = alphabet[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Encodes bytes as base32 characters, `length` characters long. */
function encodeRandom(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % 32];
  return out;
}

/**
 * A ULID: 26 characters, time-sortable, so ordering by id is ordering by creation time.
 * @example newId(Date.now()) // "01J8Z3Q4R5..."
 */
export function newId(nowMs: number = Date.now()): string {
  return encodeTime(nowMs) + encodeRandom(randomBytes(16), 16);
}

/** A ULID whose random part is derived from `seed` bytes (stable ids for imports). */
export function idFromSeed(nowMs: number, seed: Uint8Array): string {
  return encodeTime(nowMs) + encodeRandom(seed, 16);
}

/** True for a string shaped like a ULID. */
export function isId(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
