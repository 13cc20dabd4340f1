import { SiteConfigError, type SiteConfig, type StoredComment } from "@comments/core";
import type { QueueListener } from "../deps.ts";
import { jsonLogger, type Logger } from "../logger.ts";
import { queuedNotification } from "./queued-message.ts";
import { deliverWebhook, type DeliveryResult, type RetryPolicy } from "./webhook-sender.ts";

/** Options for {@link webhookQueueListener}. */
export interface WebhookListenerOptions {
  /** HMAC key for `X-Comments-Signature` (env `WEBHOOK_SIGNING_KEY`). */
  signingKey: string;
  /**
   * true: `commentQueued` starts the deliveries and returns at once (the local server must not hold the
   * reader's answer during retries); false: it resolves when every delivery is done (stream consumer).
   */
  background?: boolean;
  /** Link to the review page put in the message, if known. */
  reviewUrl?: string | null;
  policy?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  /** Told about every finished delivery (tests, metrics). */
  onDelivery?: (result: DeliveryResult) => void;
}

/** A {@link QueueListener} that posts signed webhooks; `idle()` resolves when no delivery is in flight. */
export interface WebhookListener extends QueueListener {
  commentQueued(site: SiteConfig, comment: StoredComment): Promise<void>;
  idle(): Promise<void>;
}

/** Shortest signing key accepted, so a placeholder like "secret" is not mistaken for a key. */
export const minSigningKeyLength = 16;

/**
 * Sends a signed `comment.queued` webhook to every URL in the site's `notify.webhooks` when a comment enters
 * the queue. Spam never notifies, even if handed over by mistake.
 */
export function webhookQueueListener(options: WebhookListenerOptions): WebhookListener {
  const logger = options.logger ?? jsonLogger;
  const inFlight = new Set<Promise<unknown>>();

  async function deliverAll(site: SiteConfig, comment: StoredComment): Promise<void> {
    const message = queuedNotification(site, comment, options.reviewUrl ?? null);
    const body = JSON.stringify(message);
    const results = await Promise.all(
      site.notify.webhooks.map((url) =>
        deliverWebhook({
          url,
          body,
          signingKey: options.signingKey,
          deliveryId: message.id,
          ...(options.policy ? { policy: options.policy } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.sleep ? { sleep: options.sleep } : {}),
        }),
      ),
    );
    for (const result of results) {
      options.onDelivery?.(result);
      if (!result.ok) {
        logger.error("webhook delivery failed", { site: site.id, commentId: comment.id, url: redactUrl(result.url), attempts: result.attempts, status: result.status, error: result.error });
      }
    }
  }

  return {
    async commentQueued(site, comment) {
      if (comment.status === "spam" || site.notify.webhooks.length === 0) return;
      const delivery = deliverAll(site, comment).catch((error: unknown) => logger.error("webhook delivery failed", { cause: String(error) }));
      if (!options.background) return delivery;
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

/**
 * The listener for a set of sites, or undefined when no site configures webhooks. Throws a
 * {@link SiteConfigError} at start-up when webhooks are configured without a usable signing key.
 */
export function webhookListenerForSites(
  sites: readonly SiteConfig[],
  env: Record<string, string | undefined>,
  options: Omit<WebhookListenerOptions, "signingKey"> = {},
): WebhookListener | undefined {
  const configured = sites.filter((site) => site.notify.webhooks.length > 0);
  if (configured.length === 0) return undefined;
  const signingKey = env.WEBHOOK_SIGNING_KEY ?? "";
  if (signingKey.length < minSigningKeyLength) {
    const where = configured.map((site) => `sites[${sites.indexOf(site)}].notify.webhooks`).join(", ");
    throw new SiteConfigError(
      `WEBHOOK_SIGNING_KEY: ${signingKey ? `must be at least ${minSigningKeyLength} characters` : "is not set"}; it signs the webhooks configured at ${where}`,
    );
  }
  return webhookQueueListener({ ...options, signingKey });
}

/** Webhook URLs often carry a secret in the path (Slack); logs keep only the origin. */
function redactUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "(invalid url)";
  }
}
