import { readFileSync } from "node:fs";
import { join } from "node:path";
import { queuePartition } from "../../packages/store/src/entities/comment.ts";
import { tableDefinition } from "../../packages/store/src/table.ts";
import { sstSecretName } from "../../infra/secret-names.ts";
import { bundledSitesFile, stageSites } from "../../infra/load-stage-sites.ts";
import {
  builtHandlerProblems,
  codeZipProblems,
  environmentProblems,
  iamProblems,
  routerProblems,
  secretProblems,
  sourceFacts,
  streamConsumerProblems,
  tableAccessProblems,
  tableProblems,
} from "./checks.ts";
import type { StackPlan } from "./plan-stack.ts";

/** The deployed functions and what each must have. */
export const plannedFunctions = {
  api: { handler: "functions/api.handler", source: "functions/api.ts" },
  notify: { handler: "functions/notify.handler", source: "functions/notify.ts" },
} as const;

/** Paths the widget bucket serves through the router. */
export const bucketPaths = ["/embed.js", "/count.js", "/moderate"];

/**
 * Every plan check, for `root`'s code: table vs table.ts, handlers in the built bundles, the code zips (the
 * sites file validated at deploy shipped as `sites.json`), environments vs the
 * variables the code reads, secrets, IAM, routes and caching, the stream consumer, captcha secrets linked.
 * An empty list means the plan passes.
 * @example const problems = await planProblems(plan, process.cwd());
 */
export async function planProblems(plan: StackPlan, root: string, sitesFile: string): Promise<string[]> {
  const api = await sourceFacts(root, plannedFunctions.api.source);
  const notify = await sourceFacts(root, plannedFunctions.notify.source);
  const sites = stageSites(plan.app.stage, { root, env: { SITES_FILE: sitesFile } });
  const shipped = { [bundledSitesFile]: readFileSync(join(root, sites.file), "utf8") };
  const apiLinks = plan.builds.find((b) => b.handler === plannedFunctions.api.handler)?.links ?? [];
  return [
    ...tableProblems(plan, tableDefinition),
    ...(await builtHandlerProblems(plan, root, plannedFunctions.api.handler)),
    ...(await builtHandlerProblems(plan, root, plannedFunctions.notify.handler)),
    ...codeZipProblems(plan, root, plannedFunctions.api.handler, shipped),
    ...codeZipProblems(plan, root, plannedFunctions.notify.handler, shipped),
    ...environmentProblems(plan, plannedFunctions.api.handler, api),
    ...environmentProblems(plan, plannedFunctions.notify.handler, notify),
    ...sites.captchaSecrets.map(sstSecretName).filter((name) => !apiLinks.includes(name)).map((name) => `the API does not link the captcha secret ${name} its sites use`),
    ...secretProblems(plan),
    ...iamProblems(plan),
    ...tableAccessProblems(plan, plannedFunctions.api.handler, api),
    ...routerProblems(plan, { bucketPaths, apiOwner: "Api" }),
    ...streamConsumerProblems(plan, plannedFunctions.notify.handler, queuePartition({ siteId: "" })),
  ];
}
