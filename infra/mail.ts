import { mailSender, mailStreamItemTypes } from "./mail-sender.ts";
import { bundledSitesFile } from "./load-stage-sites.ts";
import { router } from "./router.ts";
import { ipHashKey } from "./secrets.ts";
import { sites } from "./sites.ts";
import { table, tableLink } from "./table.ts";

/**
 * Mail on AWS (DESIGN §6.5), three handlers of `functions/mail.ts`: the table stream feeds `stream`
 * (confirmations, notifications, statements of reasons), a schedule runs `timer` (gathered notifications that
 * came due, moderator digests), and SES bounce and complaint events reach `feedback` through an SNS topic.
 */
const sender = mailSender(process.env);

/** SES bounces and complaints of the stage's mail, published by the configuration set below. */
export const mailFeedbackTopic = new sst.aws.SnsTopic("MailFeedback");

/**
 * The SES identity mail is sent from (the address in `MAIL_FROM`; SES mails a verification link to it on the
 * first deploy) and its configuration set, whose bounce and complaint events go to the feedback topic.
 * Not linked: SST's Email link grants `ses:*` and sending on every identity; the functions get a narrower grant.
 */
export const mailIdentity = new sst.aws.Email("MailSender", {
  sender: sender.address,
  events: [{ name: "Feedback", types: ["bounce", "complaint"], topic: mailFeedbackTopic.arn }],
});

/**
 * Sending, and only from this identity. SES also authorizes a send against the configuration set it names
 * (MAIL_CONFIGURATION_SET), so the set's ARN is the one other resource.
 */
const sendFromIdentity = {
  actions: ["ses:SendEmail", "ses:SendRawEmail"],
  resources: [mailIdentity.nodes.identity.arn, mailIdentity.nodes.configurationSet.arn],
};

/** What every mail handler shares: the table (narrow link), the IP hash key, the sites file, the sender. */
const mailFunction = (handler: string, timeout: `${number} seconds`) => ({
  handler,
  runtime: "nodejs22.x" as const,
  architecture: "arm64" as const,
  memory: "256 MB" as const,
  // Each mail is retried with backoff before the batch is done.
  timeout,
  link: [tableLink, ipHashKey],
  permissions: [sendFromIdentity],
  copyFiles: [{ from: sites.file, to: bundledSitesFile }],
  environment: {
    SITES_FILE: bundledSitesFile,
    STAGE: $app.stage,
    MAIL_FROM: sender.from,
    MAIL_CONFIGURATION_SET: mailIdentity.configSet,
    // Links in mails (confirm, unsubscribe, the conversation, the review page) point at the router.
    PUBLIC_URL: router.url,
  },
  nodejs: { format: "esm" as const, minify: true },
  logging: { retention: "1 month" as const },
});

/**
 * Comment and subscription writes reach `stream`, which picks what calls for mail (the filter spares it the
 * rest: audit entries, counters, rate-limit windows).
 */
export const mailStream = table.subscribe("MailStream", mailFunction("functions/mail.stream", "60 seconds"), {
  filters: [{ dynamodb: { NewImage: { type: { S: [...mailStreamItemTypes] } } } }],
});

/** Gathered notifications that came due and moderator digests, every five minutes. */
export const mailTimer = new sst.aws.Cron("MailTimer", {
  schedule: "rate(5 minutes)",
  function: mailFunction("functions/mail.timer", "120 seconds"),
});

/** Bounced and complaining addresses go on the suppression list. */
export const mailFeedback = mailFeedbackTopic.subscribe("MailFeedbackSubscriber", mailFunction("functions/mail.feedback", "30 seconds"));
