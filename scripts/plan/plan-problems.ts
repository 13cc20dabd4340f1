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
  streamActions,
  streamConsumerProblems,
  tableAccessProblems,
  tableProblems,
} from "./checks.ts";
import { feedbackTopicProblems, mailIdentityProblems, scheduleProblems, sesGrantProblems } from "./mail-checks.ts";
import type { StackPlan } from "./plan-stack.ts";
import { notSetOnMailFunctions } from "../../infra/function-environment.ts";
import { mailSender, mailStreamItemTypes } from "../../infra/mail-sender.ts";

/** The deployed functions and what each must have. */
export const plannedFunctions = {
  api: { handler: "functions/api.handler", source: "functions/api.ts" },
  notify: { handler: "functions/notify.handler", source: "functions/notify.ts" },
  mailStream: { handler: "functions/mail.stream", source: "functions/mail.ts" },
  mailTimer: { handler: "functions/mail.timer", source: "functions/mail.ts" },
  mailFeedback: { handler: "functions/mail.feedback", source: "functions/mail.ts" },
} as const;

/** The mail handlers: one bundle (functions/mail.ts), three functions. */
export const mailHandlers = [plannedFunctions.mailStream.handler, plannedFunctions.mailTimer.handler, plannedFunctions.mailFeedback.handler];

/** The sender a plan uses when `MAIL_FROM` is not set where it runs (`npm run plan:infra`, `check:infra`). */
export const planMailFrom = "Comments <comments@news.example>";

/** Paths the widget bucket serves through the router. */
export const bucketPaths = ["/embed.js", "/count.js", "/moderate"];

/**
 * Every plan check, for `root`'s code: table vs table.ts, handlers in the built bundles, the code zips (the
 * sites file validated at deploy shipped as `sites.json`), environments vs the
 * variables the code reads, secrets, IAM, routes and caching, the stream consumers, captcha secrets linked, and
 * mail (the sender's SES identity, sending only from it, the schedule, the feedback topic). `mailFrom` is the
 * `MAIL_FROM` the plan was made with.
 * An empty list means the plan passes.
 * @example const problems = await planProblems(plan, process.cwd());
 */
export async function planProblems(plan: StackPlan, root: string, sitesFile: string, mailFrom = planMailFrom): Promise<string[]> {
  const api = await sourceFacts(root, plannedFunctions.api.source);
  const notify = await sourceFacts(root, plannedFunctions.notify.source);
  const mail = await sourceFacts(root, plannedFunctions.mailStream.source);
  const sender = mailSender({ MAIL_FROM: mailFrom });
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
    ...(await Promise.all(mailHandlers.map((handler) => builtHandlerProblems(plan, root, handler)))).flat(),
    ...mailHandlers.flatMap((handler) => [
      ...codeZipProblems(plan, root, handler, shipped),
      ...environmentProblems(plan, handler, mail, notSetOnMailFunctions),
      ...tableAccessProblems(plan, handler, mail, handler === plannedFunctions.mailStream.handler ? streamActions : []),
    ]),
    ...streamConsumerProblems(plan, plannedFunctions.mailStream.handler, JSON.stringify(mailStreamItemTypes)),
    ...mailIdentityProblems(plan, sender.address),
    ...sesGrantProblems(plan, sender.address, mailHandlers),
    ...scheduleProblems(plan, plannedFunctions.mailTimer.handler),
    ...feedbackTopicProblems(plan, sender.address, plannedFunctions.mailFeedback.handler),
  ];
}
