import { SiteConfigError, sitesFileSchema, type SiteConfig } from "@comments/core/sites";
import { streamNotifier, type DynamoStreamEvent } from "@comments/api/notify/stream-notifier";
import { webhookListenerForSites } from "@comments/api/notify/webhook-listener";

let notify: ((event: DynamoStreamEvent) => Promise<{ notified: number }>) | undefined;

/**
 * Sites from `SITES_JSON`, validated by the same schema as the API's. The captcha secret checks are skipped
 * on purpose: this function never sees captcha secrets.
 */
function sitesFromEnv(env: Record<string, string | undefined>): SiteConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(env.SITES_JSON ?? "");
  } catch {
    throw new SiteConfigError("SITES_JSON: not set or not valid JSON");
  }
  const parsed = sitesFileSchema.safeParse(raw);
  if (!parsed.success) throw new SiteConfigError(`Invalid sites configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.sites;
}

/**
 * Table stream consumer (NEW_AND_OLD_IMAGES): sends the signed moderator webhooks for comments that entered
 * the queue. Built on the first event, once per container; signing key from `WEBHOOK_SIGNING_KEY`.
 */
export const handler = (event: DynamoStreamEvent) => {
  if (!notify) {
    const env = process.env;
    const sites = sitesFromEnv(env);
    const listener = webhookListenerForSites(sites, env, { background: false, reviewUrl: env.REVIEW_URL ?? null });
    notify = listener ? streamNotifier({ sites, listener }) : async () => ({ notified: 0 });
  }
  return notify(event);
};
