import { createRuntime, streamNotifier, webhookListenerForSites, type DynamoStreamEvent } from "@comments/api";

let notify: ((event: DynamoStreamEvent) => Promise<{ notified: number }>) | undefined;

/**
 * Table stream consumer (NEW_AND_OLD_IMAGES): sends the signed moderator webhooks for comments that entered
 * the queue. Built on the first event, once per container; signing key from `WEBHOOK_SIGNING_KEY`.
 */
export const handler = (event: DynamoStreamEvent) => {
  if (!notify) {
    // Sites from `SITES_JSON`, as the API reads them; captcha secrets are not checked: this function never sees them.
    const { sites, secrets, logger } = createRuntime({ env: process.env, checkCaptchaSecrets: false });
    const listener = webhookListenerForSites(sites, secrets, { background: false, reviewUrl: secrets.REVIEW_URL ?? null, logger });
    notify = listener ? streamNotifier({ sites, listener, logger }) : async () => ({ notified: 0 });
  }
  return notify(event);
};
