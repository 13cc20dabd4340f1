import { lazyDependencies } from "./lambda-dependencies.ts";
import { apiSecrets } from "./secrets.ts";
import { router } from "./router.ts";
import { bundledSitesFile } from "./load-stage-sites.ts";
import { sites } from "./sites.ts";
import { tableLink } from "./table.ts";

/**
 * The API function: the same Hono app as the local server, answering every `/v1/…` route (and `/healthz`,
 * unknown routes' 404) through the router's catch-all route.
 */
export const api = new sst.aws.Function("Api", {
  handler: "functions/api.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "512 MB",
  // Below the router's 20 s origin read timeout, above the longest captcha wait (8 s) plus store retries.
  timeout: "15 seconds",
  // The table's name and only the DynamoDB actions the store calls (infra/table-access.ts), and the secrets.
  link: [tableLink, ...apiSecrets],
  // Only stages whose sites check toxicity with Amazon Comprehend may call it (the action takes no resource ARN).
  permissions: sites.sites.some((site) => site.moderation.toxicity) ? [{ actions: ["comprehend:DetectToxicContent"], resources: ["*"] }] : [],
  // The sites file ships with the code (it may outgrow Lambda's 4 KB of environment), validated at deploy.
  copyFiles: [{ from: sites.file, to: bundledSitesFile }],
  environment: {
    SITES_FILE: bundledSitesFile,
    // parseSitesConfig refuses the `test` captcha provider when STAGE=production.
    STAGE: $app.stage,
  },
  // The Comprehend client is imported only when a site checks toxicity: installed beside the bundle instead of in it,
  // so the code every cold start parses is ~90 KB smaller (the bench and the plan check build it the same way).
  nodejs: { format: "esm", minify: true, install: [...lazyDependencies] },
  logging: { retention: "1 month" },
  url: {
    // The app answers CORS itself (per-site origins, 403 for others); a function-URL CORS layer would
    // answer preflights in its place.
    cors: false,
    router: { instance: router, readTimeout: "20 seconds" },
  },
});
