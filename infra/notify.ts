import { queuePartition } from "../packages/store/src/entities/comment.ts";
import { bundledSitesFile } from "./load-stage-sites.ts";
import { router } from "./router.ts";
import { webhookSigningKey } from "./secrets.ts";
import { sites } from "./sites.ts";
import { table } from "./table.ts";

/**
 * Moderator notifications: the table stream feeds `functions/notify.handler`, which sends the signed webhooks
 * of each site's `notify.webhooks`. The event filter passes only images that sit in the moderation queue,
 * so ordinary writes never invoke the function. The signing key is linked (read through `Resource`), never
 * an environment variable.
 */
export const notify = table.subscribe(
  "NotifyModerators",
  {
    handler: "functions/notify.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    memory: "256 MB",
    // Webhook deliveries retry with backoff before the batch is done.
    timeout: "60 seconds",
    link: [webhookSigningKey],
    copyFiles: [{ from: sites.file, to: bundledSitesFile }],
    environment: {
      SITES_FILE: bundledSitesFile,
      STAGE: $app.stage,
      REVIEW_URL: $interpolate`${router.url}/moderate`,
    },
    nodejs: { format: "esm", minify: true },
    logging: { retention: "1 month" },
  },
  {
    filters: [{ dynamodb: { NewImage: { gsi1pk: { S: [{ prefix: queuePartition({ siteId: "" }) }] } } } }],
  },
);
