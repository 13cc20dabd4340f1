import type { Logger } from "../logger.ts";
import { redactAddresses } from "./address.ts";
import { MailSendError, type MailMessage, type Mailer } from "./message.ts";

/** How hard the sender tries one mail. */
export interface MailRetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubled for each further one. */
  baseDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
}

/** 5 attempts, waits of about 2, 4, 8 and 16 s. */
export const defaultMailRetryPolicy: MailRetryPolicy = { attempts: 5, baseDelayMs: 2000, maxDelayMs: 16_000 };

/** What became of one mail. */
export type MailOutcome =
  | { status: "sent"; attempts: number; messageId: string | null }
  /** The address bounced or complained before: nothing was sent. */
  | { status: "suppressed" }
  | { status: "failed"; attempts: number; permanent: boolean; error: string };

/** Running totals since the sender was made (for tests and metrics). */
export interface MailCounts {
  sent: number;
  failed: number;
  suppressed: number;
  /** Attempts after a failed one. */
  retries: number;
}

/** Options for {@link mailSender}. */
export interface MailSenderOptions {
  mailer: Mailer;
  policy?: Partial<MailRetryPolicy>;
  /** True for an address that must never be mailed again (bounced, complained). */
  isSuppressed?: (address: string) => boolean | Promise<boolean>;
  /** Told when a mail is given up; never told the address. */
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

/** Sends mails through a {@link Mailer} with retries; never throws into its caller. */
export interface MailSender {
  /** Sends one mail, retrying with backoff; resolves with the outcome once done (stream consumers). */
  send(message: MailMessage): Promise<MailOutcome>;
  /** Starts sending in the background and returns at once, so no reader's request waits on a mail service. */
  enqueue(message: MailMessage): void;
  /** Resolves when no mail is in flight. */
  idle(): Promise<void>;
  counts(): MailCounts;
}

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * The one way mails leave the service: skips suppressed addresses, retries transient failures with bounded
 * exponential backoff, gives up at once on a permanent refusal, and logs (without the address) and counts
 * every mail it gives up. A mail failure never reaches the post or decision that caused it.
 * @example const sender = mailSender({ mailer: smtpMailer({ url }) }); sender.enqueue(message);
 */
export function mailSender(options: MailSenderOptions): MailSender {
  const policy = { ...defaultMailRetryPolicy, ...options.policy };
  const sleep = options.sleep ?? wait;
  const logger = options.logger ?? { error: (message, details) => console.error(JSON.stringify({ level: "error", message, ...details })) };
  const counts: MailCounts = { sent: 0, failed: 0, suppressed: 0, retries: 0 };
  const inFlight = new Set<Promise<unknown>>();

  async function attemptAll(message: MailMessage): Promise<MailOutcome> {
    let failure: MailSendError | undefined;
    const attempts = Math.max(1, policy.attempts);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        counts.retries++;
        await sleep(backoff(policy, attempt - 1));
      }
      try {
        if (await options.isSuppressed?.(message.to)) {
          counts.suppressed++;
          return { status: "suppressed" };
        }
        const receipt = await options.mailer.send(message);
        counts.sent++;
        return { status: "sent", attempts: attempt, messageId: receipt.messageId };
      } catch (error) {
        failure = error instanceof MailSendError ? error : new MailSendError(redactAddresses(String((error as Error)?.message ?? error)), false, { cause: error });
        if (failure.permanent) return gaveUp(message, attempt, failure);
      }
    }
    return gaveUp(message, attempts, failure!);
  }

  function gaveUp(message: MailMessage, attempts: number, failure: MailSendError): MailOutcome {
    counts.failed++;
    const error = redactAddresses(failure.message);
    logger.error("mail not sent", { kind: message.kind, transport: options.mailer.transport, attempts, permanent: failure.permanent, error });
    return { status: "failed", attempts, permanent: failure.permanent, error };
  }

  async function send(message: MailMessage): Promise<MailOutcome> {
    try {
      return await attemptAll(message);
    } catch (error) {
      // Only a broken logger or sleep can land here; the caller still gets an outcome, never an exception.
      counts.failed++;
      return { status: "failed", attempts: 0, permanent: false, error: redactAddresses(String(error)) };
    }
  }

  return {
    send,
    enqueue(message) {
      const delivery = send(message);
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    counts: () => ({ ...counts }),
  };
}

/** The wait after failed attempt `n`: base × 2^(n−1), at most `maxDelayMs`, with up to 20 % jitter. */
function backoff(policy: MailRetryPolicy, failedAttempt: number): number {
  const exact = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(exact * (0.8 + Math.random() * 0.2));
}
