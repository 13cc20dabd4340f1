/// <reference path="../sst-env.d.ts" />
import { Resource } from "sst";
import { createRuntime, streamNotifier, webhookListenerForSites, type DynamoStreamEvent } from "@comments/api";

let notify: ((event: DynamoStreamEvent) => Promise<{ notified: number }>) | undefined;

/**
 * Table stream consumer (NEW_AND_OLD_IMAGES): sends the signed moderator webhooks for comments that entered
 * the queue. Built on the first event, once per container. The signing key comes from the linked SST secret
 * (`Resource.WebhookSigningKey`), like the API's secrets, so it never sits in the function's environment.
 */
export const handler = (event: DynamoStreamEvent) => {
  if (!notify) {
    // Sites from `SITES_FILE` (the validated sites.json shipped with the code), as the API reads them; captcha
    // secrets are not checked: this function never sees them.
    const { env, sites, secrets, logger } = createRuntime({
      env: process.env,
      secrets: { WEBHOOK_SIGNING_KEY: Resource.WebhookSigningKey.value },
      checkCaptchaSecrets: false,
    });
    const listener = webhookListenerForSites(sites, secrets, { background: false, reviewUrl: env.REVIEW_URL ?? null, logger });
    notify = listener ? streamNotifier({ sites, listener, logger }) : async () => ({ notified: 0 });
  }
  return notify(event);
};
