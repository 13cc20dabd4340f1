/**
 * Email: the mail port and its transports, the decisions of who gets what, and the mails themselves.
 * Import from `@comments/api/mail`; kept out of the package's main entry so the Lambda app does not
 * carry the SMTP library or the dev mailbox.
 */
export { MailSendError, directionOf, type MailKind, type MailMessage, type MailReceipt, type Mailer, type TextDirection } from "./message.ts";
export { normalizeAddress, redactAddresses, sameAddress } from "./address.ts";
export { derivedMailToken, mailTokenHash, newMailToken, type IssuedToken, type TokenPurpose } from "./tokens.ts";
export { mailConfigFromEnv, mailerFor, devMailFrom, type MailConfig, type MailRuntime } from "./config.ts";
export { smtpMailer, smtpUrlProblem, type SmtpMailerOptions } from "./transports/smtp-mailer.ts";
export { sesMailer, type SesMailerOptions } from "./transports/ses-mailer.ts";
export { devMailbox, type DevMailbox, type DevMailboxOptions, type KeptMail } from "./transports/dev-mailbox.ts";
export { devMailRoutes, devMailPagePolicy, renderDevMailPage } from "./dev-mail-page.ts";
export { mailSender, defaultMailRetryPolicy, type MailCounts, type MailOutcome, type MailRetryPolicy, type MailSender, type MailSenderOptions } from "./sender.ts";
export { memorySuppressionList, type Suppression, type SuppressionList, type SuppressionReason } from "./suppression.ts";
export { suppressionsFromSesNotification, suppressionsFromSnsEvent } from "./ses-feedback.ts";
export { defaultMailSettings, type DigestSettings, type MailSettings } from "./decide/settings.ts";
export { notificationRecipients, type CommentForMail, type MailSubscription, type NotificationRecipient } from "./decide/recipients.ts";
export { emptyGatherState, flushGathered, gatherComment, type GatherState, type GatherStep } from "./decide/gathering.ts";
export { confirmationStep, confirmationsPerDay, type ConfirmationStep } from "./decide/confirmations.ts";
export { statementRecipient, type DecisionForMail } from "./decide/statement.ts";
export { digestRecipients, summarizeQueue, type QueueSummary, type QueuedForDigest } from "./decide/digest.ts";
export { apiLink, confirmLink, unsubscribeHeaders, unsubscribeLink, type MailSetup } from "./compose/links.ts";
export { commentLink, threadName, type ThreadPage } from "./compose/thread.ts";
export { confirmationMail, type ConfirmationMailInput } from "./compose/confirmation.ts";
export { notificationMail, type NotificationMailInput, type NotifiedComment } from "./compose/notification.ts";
export { statementMail, reasonsForAuthor, type RejectedComment, type StatementMailInput } from "./compose/statement.ts";
export { digestMail, type DigestMailInput } from "./compose/digest.ts";
export { mailLanguages, mailWordsFor, type MailWords, type SubscriptionKind } from "./words/index.ts";
export { mailWorker, mailSettingsOf, mailJob, type MailWorker, type MailWorkerOptions } from "./worker.ts";
export { createMailServices, type MailServices, type MailServicesOptions } from "./services.ts";
export { localMailQueue, type LocalMailQueue } from "./local-queue.ts";
export { commentLanguage } from "./language.ts";
export { mailStreamHandler, mailEventOf, type MailEvent } from "./stream.ts";
