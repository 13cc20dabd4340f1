import { smtpMailer, smtpUrlProblem } from "./transports/smtp-mailer.ts";
import { sesMailer } from "./transports/ses-mailer.ts";
import { devMailbox, type DevMailbox } from "./transports/dev-mailbox.ts";
import type { Mailer } from "./message.ts";

/** Which transport carries the mails, and from whom they come. */
export type MailConfig =
  | { transport: "smtp"; from: string; url: string }
  | { transport: "ses"; from: string; region: string | null; configurationSetName: string | null }
  | { transport: "dev-mailbox"; from: string };

/** Where the service runs: on AWS mails go through SES, on one machine to SMTP or the dev mailbox. */
export type MailRuntime = "aws" | "local";

/** The sender of the dev mailbox when `MAIL_FROM` is not set. */
export const devMailFrom = "Comments <comments@localhost>";

const senderPattern = /^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

/**
 * Reads the mail settings from the environment: `SMTP_URL` (SMTP wherever it runs), else SES on AWS
 * (`MAIL_CONFIGURATION_SET` optional), else the dev mailbox. `MAIL_FROM` is required for SMTP and SES.
 * Throws an Error naming the variable when a value cannot work.
 */
export function mailConfigFromEnv(env: Record<string, string | undefined>, runtime: MailRuntime): MailConfig {
  const from = env.MAIL_FROM?.trim() || null;
  if (from !== null && !senderPattern.test(from)) throw new Error("MAIL_FROM must be an address such as comments@news.example or Comments <comments@news.example>");
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl !== null) {
    const problem = smtpUrlProblem(smtpUrl);
    if (problem) throw new Error(`SMTP_URL ${problem}`);
    if (from === null) throw new Error("MAIL_FROM is not set; it is required with SMTP_URL");
    return { transport: "smtp", from, url: smtpUrl };
  }
  if (runtime === "aws") {
    if (from === null) throw new Error("MAIL_FROM is not set; it is required to send mail with SES (an address of a verified identity)");
    return { transport: "ses", from, region: env.AWS_REGION ?? null, configurationSetName: env.MAIL_CONFIGURATION_SET?.trim() || null };
  }
  return { transport: "dev-mailbox", from: from ?? devMailFrom };
}

/** The transport a {@link MailConfig} names; the dev mailbox comes back typed so the local server can show it. */
export function mailerFor(config: MailConfig): Mailer | DevMailbox {
  switch (config.transport) {
    case "smtp":
      return smtpMailer({ url: config.url });
    case "ses":
      return sesMailer({ ...(config.region ? { region: config.region } : {}), ...(config.configurationSetName ? { configurationSetName: config.configurationSetName } : {}) });
    case "dev-mailbox":
      return devMailbox();
  }
}
