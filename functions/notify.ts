/// <reference path="../sst-env.d.ts" />
import { createRuntime, streamNotifier, webhookListenerForSites, type DynamoStreamEvent } from "@comments/api";
import { linkedSecrets } from "./linked-secrets.ts";

let notify: ((event: DynamoStreamEvent) => Promise<{ notified: number }>) | undefined;

/**
 * Table stream consumer (NEW_AND_OLD_IMAGES): sends the signed moderator webhooks for comments that entered
 * the queue. Built on the first event, once per container. The signing key comes from the linked SST secret
 * (`WebhookSigningKey`, read through `Resource` by `linkedSecrets()` exactly as the API reads its secrets), so it
 * never sits in the function's environment.
 */
export const handler = (event: DynamoStreamEvent) => {
  if (!notify) {
    // Sites from `SITES_FILE` (the validated sites.json shipped with the code), as the API reads them; captcha
    // secrets are not checked: this function never sees them.
    const { env, sites, secrets, logger } = createRuntime({
      env: process.env,
      // The linked secrets as the API reads them: only WebhookSigningKey is linked to this function.
      secrets: linkedSecrets(),
      checkCaptchaSecrets: false,
    });
    const listener = webhookListenerForSites(sites, secrets, { background: false, reviewUrl: env.REVIEW_URL ?? null, logger });
    notify = listener ? streamNotifier({ sites, listener, logger }) : async () => ({ notified: 0 });
  }
  return notify(event);
};
