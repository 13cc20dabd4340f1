/** The form an address is compared and stored in: trimmed, lower-cased. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** True when two addresses are the same mailbox for our purposes (case and surrounding space ignored). */
export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === "string" && typeof b === "string" && a.trim() !== "" && normalizeAddress(a) === normalizeAddress(b);
}

const addressLike = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g;

/**
 * Removes anything that looks like an email address from a text bound for a log line (an SMTP refusal such
 * as `550 5.1.1 <ann@example.org>: unknown user` names the recipient).
 */
export function redactAddresses(text: string): string {
  return text.replace(addressLike, "[address]");
}
