/** Confirmation mails one address may receive in any 24 hours (DESIGN §6.5). */
export const confirmationsPerDay = 3;

const day = 24 * 60 * 60 * 1000;

/** What a new subscription does about confirmation. */
export type ConfirmationStep =
  /** A signed-in reader whose host site vouches for the address: confirmed at once, no mail. */
  | { action: "confirmed" }
  | { action: "send" }
  /** The address already got its confirmations for the day: the subscription waits unconfirmed, no mail. */
  | { action: "capped"; retryAt: string };

/**
 * Whether to send a double opt-in mail for a new subscription. `sentAt` lists when confirmation mails went to
 * this address (any older than a day may be left in; they are ignored).
 */
export function confirmationStep(input: { emailVerified: boolean; sentAt: readonly string[]; now: Date }): ConfirmationStep {
  if (input.emailVerified) return { action: "confirmed" };
  const since = input.now.getTime() - day;
  const recent = input.sentAt.map((at) => Date.parse(at)).filter((at) => at > since).sort((a, b) => a - b);
  if (recent.length < confirmationsPerDay) return { action: "send" };
  return { action: "capped", retryAt: new Date(recent[recent.length - confirmationsPerDay]! + day).toISOString() };
}
