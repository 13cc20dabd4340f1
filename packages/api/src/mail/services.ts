import type { SiteConfig } from "@comments/core";
import type { Store } from "@comments/store";
import { createHasher } from "../hashing.ts";
import type { Logger } from "../logger.ts";
import { mailConfigFromEnv, mailerFor, type MailConfig, type MailRuntime } from "./config.ts";
import type { Mailer } from "./message.ts";
import { mailSender, type MailRetryPolicy, type MailSender } from "./sender.ts";
import type { DevMailbox } from "./transports/dev-mailbox.ts";
import { mailWorker, type MailWorker } from "./worker.ts";

/** Options for {@link createMailServices}: a runtime's parts and what only the host knows. */
export interface MailServicesOptions {
  /** Where it runs: SES on AWS unless `SMTP_URL`; locally SMTP or the dev mailbox. */
  runtime: MailRuntime;
  /** `SMTP_URL`, `MAIL_FROM`, `MAIL_CONFIGURATION_SET`, `AWS_REGION`. */
  env: Record<string, string | undefined>;
  store: Store;
  sites: readonly SiteConfig[];
  /** The IP-hash key: subscription tokens are derived from it, address hashes keyed with it. */
  ipHashKey: string;
  /** The API's public address, for the links in mails (`PUBLIC_URL`, else the host's own). */
  publicUrl: string;
  reviewUrl: string;
  logger: Logger;
  now?: () => Date;
  /** A transport given directly (tests); else the one `env` names. */
  mailer?: Mailer;
  retry?: Partial<MailRetryPolicy>;
}

/** The mail side of a host: the transport its environment names, the retrying sender and the worker. */
export interface MailServices {
  config: MailConfig;
  mailer: Mailer;
  /** The dev mailbox when it is the transport (the local server shows it at `/dev/mail`). */
  devMailbox: DevMailbox | null;
  sender: MailSender;
  worker: MailWorker;
}

/**
 * Builds the mail side from a runtime's parts: the transport chosen by the environment (SES on AWS, SMTP with
 * `SMTP_URL`, else the dev mailbox), a sender that skips suppressed addresses and retries, and the worker.
 * Throws an Error naming the variable when the environment cannot work (e.g. SES without `MAIL_FROM`).
 * @example const mail = createMailServices({ runtime: "local", env, store, sites, ipHashKey, publicUrl, reviewUrl, logger });
 */
export function createMailServices(options: MailServicesOptions): MailServices {
  const config = mailConfigFromEnv(options.env, options.runtime);
  const mailer = options.mailer ?? mailerFor(config);
  const devMailbox = mailer.transport === "dev-mailbox" ? (mailer as DevMailbox) : null;
  const hasher = createHasher(options.ipHashKey);
  const sender = mailSender({
    mailer,
    logger: options.logger,
    ...(options.retry ? { policy: options.retry } : {}),
    isSuppressed: (address) => options.store.isAddressSuppressed(hasher.mailAddress(address)),
  });
  const worker = mailWorker({
    store: options.store,
    sites: options.sites,
    sender,
    setup: { from: config.from, apiBaseUrl: options.publicUrl },
    tokenKey: options.ipHashKey,
    hasher,
    reviewUrl: options.reviewUrl,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
  });
  return { config, mailer, devMailbox, sender, worker };
}
