/// <reference path="../sst-env.d.ts" />
import { readFileSync } from "node:fs";
import { Resource } from "sst";
import { SiteConfigError, sitesFileSchema, type SiteConfig } from "@comments/core/sites";
import { streamNotifier, type DynamoStreamEvent } from "@comments/api/notify/stream-notifier";
import { webhookListenerForSites } from "@comments/api/notify/webhook-listener";

let notify: ((event: DynamoStreamEvent) => Promise<{ notified: number }>) | undefined;

/**
 * Sites from `SITES_JSON`, else the file `SITES_FILE` names (on AWS: `sites.json`, shipped with the code),
 * validated by the same schema as the API's. The captcha secret checks are skipped on purpose: this function
 * never sees captcha secrets.
 */
function sitesFromEnv(env: Record<string, string | undefined>): SiteConfig[] {
  const source = env.SITES_JSON ? "SITES_JSON" : `SITES_FILE ${env.SITES_FILE ?? "(not set)"}`;
  let raw: unknown;
  try {
    raw = JSON.parse(env.SITES_JSON ?? readFileSync(env.SITES_FILE ?? "", "utf8"));
  } catch (error) {
    throw new SiteConfigError(`${source}: not set, unreadable or not valid JSON (${(error as Error).message})`);
  }
  const parsed = sitesFileSchema.safeParse(raw);
  if (!parsed.success) throw new SiteConfigError(`Invalid sites configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.sites;
}

/**
 * Table stream consumer (NEW_AND_OLD_IMAGES): sends the signed moderator webhooks for comments that entered
 * the queue. Built on the first event, once per container. The signing key comes from the linked SST secret
 * (`Resource.WebhookSigningKey`), like the API's secrets, so it never sits in the function's environment.
 */
export const handler = (event: DynamoStreamEvent) => {
  if (!notify) {
    const env: Record<string, string | undefined> = { ...process.env, WEBHOOK_SIGNING_KEY: Resource.WebhookSigningKey.value };
    const sites = sitesFromEnv(env);
    const listener = webhookListenerForSites(sites, env, { background: false, reviewUrl: env.REVIEW_URL ?? null });
    notify = listener ? streamNotifier({ sites, listener }) : async () => ({ notified: 0 });
  }
  return notify(event);
};
