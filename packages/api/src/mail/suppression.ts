import { normalizeAddress } from "./address.ts";

/** Why an address is never mailed again. */
export type SuppressionReason = "bounce" | "complaint";

/** An address to suppress, as read from a bounce or complaint. */
export interface Suppression {
  address: string;
  reason: SuppressionReason;
  /** When SES reported it. */
  at: string;
}

/** A list of addresses never to mail; the sender's `isSuppressed` asks it. */
export interface SuppressionList {
  add(suppressions: readonly Suppression[]): void;
  isSuppressed(address: string): boolean;
}

/**
 * A suppression list held in memory (the local server; tests). On AWS the list is a store entity fed by the
 * bounce handler; both answer the same question for the sender.
 */
export function memorySuppressionList(): SuppressionList {
  const suppressed = new Set<string>();
  return {
    add(suppressions) {
      for (const { address } of suppressions) suppressed.add(normalizeAddress(address));
    },
    isSuppressed: (address) => suppressed.has(normalizeAddress(address)),
  };
}
