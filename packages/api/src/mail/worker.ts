import type { SiteConfig, StoredComment } from "@comments/core";
import type { GatherRecord, Store, SubscriptionRecord } from "@comments/store";
import type { Hasher } from "../hashing.ts";
import type { Logger } from "../logger.ts";
import { redactAddresses } from "./address.ts";
import { confirmationMail } from "./compose/confirmation.ts";
import { digestMail } from "./compose/digest.ts";
import type { MailSetup } from "./compose/links.ts";
import { notificationMail, type NotifiedComment } from "./compose/notification.ts";
import { statementMail } from "./compose/statement.ts";
import { confirmationStep } from "./decide/confirmations.ts";
import { digestRecipients, summarizeQueue, type QueuedForDigest } from "./decide/digest.ts";
import { flushGathered, gatherComment, type GatherState, type GatherStep } from "./decide/gathering.ts";
import { notificationRecipients } from "./decide/recipients.ts";
import type { MailSettings } from "./decide/settings.ts";
import { statementRecipient } from "./decide/statement.ts";
import { commentLanguage } from "./language.ts";
import type { MailSender } from "./sender.ts";
import { threadPageOf } from "./thread-page.ts";
import { derivedMailToken } from "./tokens.ts";

/** Options for {@link mailWorker}. */
export interface MailWorkerOptions {
  store: Store;
  sites: readonly SiteConfig[];
  sender: MailSender;
  /** `MAIL_FROM` and the API's public address (links). */
  setup: MailSetup;
  /** The secret the subscription tokens are derived from (the IP-hash key). */
  tokenKey: string;
  hasher: Hasher;
  /** The review page, absolute (the digest links it). */
  reviewUrl: string;
  logger: Logger;
  now?: () => Date;
}

/** How many waiting comments the digest reads at most (it reports the size it read, "100" meaning "100 or more"). */
const digestReadLimit = 500;

/** A site's mail settings (`notify`), as the decisions take them. */
export function mailSettingsOf(site: SiteConfig): MailSettings {
  return { gatherMinutes: site.notify.gatherMinutes, decisionEmails: site.notify.decisionEmails, moderatorDigest: site.notify.moderatorDigest };
}

/**
 * What happens after a write, wherever it runs (the local server's queue, the table stream, the cron): the
 * store says who wants what, `decide/*` choose, `compose/*` write, the sender sends with retries. Every method
 * is safe to call again for the same event (a replayed stream record mails nobody twice within a gather window).
 */
export function mailWorker(options: MailWorkerOptions) {
  const { store, sender, setup, hasher, logger } = options;
  const now = options.now ?? (() => new Date());
  const sites = new Map(options.sites.map((site) => [site.id, site]));
  const unsubscribeToken = (subscription: { subscriptionId: string }) => derivedMailToken(options.tokenKey, "unsubscribe", subscription.subscriptionId).token;

  /** Sends the gathered comments to one subscriber, if the subscription still stands. */
  async function sendNotification(site: SiteConfig, subscriptionRef: { siteId: string; threadId: string; subscriptionId: string }, comments: NotifiedComment[]) {
    const subscription = await store.getSubscription(subscriptionRef);
    if (!subscription || subscription.state !== "confirmed") return;
    const thread = await threadPageOf(store, site, subscription.threadId);
    await sender.send(
      notificationMail(setup, { to: subscription.address, language: subscription.language, kind: subscription.kind, thread, comments, unsubscribeToken: unsubscribeToken(subscription) }),
    );
  }

  /** Applies one gathering step to the stored record (retrying when another writer came first). */
  async function gatherStep(ref: { siteId: string; threadId: string; addressHash: string; subscriptionId: string }, step: (state: GatherState | undefined, at: Date) => GatherStep) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await store.getGather(ref);
      const at = now();
      const next = step(stored ?? undefined, at);
      const record: GatherRecord = {
        ...ref,
        subscriptionId: next.send ? ref.subscriptionId : (stored?.subscriptionId ?? ref.subscriptionId),
        lastSentAt: next.state.lastSentAt,
        lastSentIds: [...next.state.lastSentIds],
        waiting: [...next.state.waiting],
        dueAt: next.sendAt,
        rev: (stored?.rev ?? 0) + 1,
      };
      if (await store.putGather(record, at)) return next.send;
    }
    logger.error("mail gathering gave up after concurrent writes", { site: ref.siteId, thread: ref.threadId });
    return null;
  }

  return {
    /** An unconfirmed subscription gets its double opt-in mail, unless the address had 3 today. */
    async subscriptionCreated(subscription: SubscriptionRecord): Promise<void> {
      const site = sites.get(subscription.siteId);
      if (!site || subscription.state !== "unconfirmed") return;
      const at = now();
      const sentAt = await store.confirmationsSentTo(site.id, subscription.addressHash);
      const step = confirmationStep({ emailVerified: false, sentAt, now: at });
      if (step.action !== "send") {
        logger.error("confirmation mail not sent: daily cap of the address reached", { site: site.id, subscription: subscription.subscriptionId });
        return;
      }
      const recent = sentAt.filter((sent) => Date.parse(sent) > at.getTime() - 86_400_000);
      await store.recordConfirmationsSent(site.id, subscription.addressHash, [...recent, at.toISOString()]);
      const thread = await threadPageOf(store, site, subscription.threadId);
      const confirmToken = derivedMailToken(options.tokenKey, "confirm", subscription.subscriptionId).token;
      await sender.send(
        confirmationMail(setup, { to: subscription.address, language: subscription.language, kind: subscription.kind, thread, confirmToken, unsubscribeToken: unsubscribeToken(subscription) }),
      );
    },

    /** A published comment: each confirmed subscriber is mailed now, or the comment waits for their next mail. */
    async commentPublished(comment: StoredComment): Promise<void> {
      const site = sites.get(comment.siteId);
      if (!site || comment.status !== "published") return;
      const subscriptions = await store.listThreadSubscriptions(site.id, comment.threadId);
      const recipients = notificationRecipients(comment, subscriptions.map((subscription) => ({ ...subscription, id: subscription.subscriptionId })));
      const notified: NotifiedComment = { id: comment.id, authorName: comment.authorName, body: comment.body, createdAt: comment.createdAt };
      const { gatherMinutes } = mailSettingsOf(site);
      for (const { subscription } of recipients) {
        const addressHash = hasher.mailAddress(subscription.address);
        const ref = { siteId: site.id, threadId: comment.threadId, addressHash, subscriptionId: subscription.id };
        const send = await gatherStep(ref, (state, at) => gatherComment(state, notified, at, gatherMinutes));
        if (send) await sendNotification(site, ref, send);
      }
    },

    /** A rejection (not spam) of a comment whose author gave an email: the statement of reasons. */
    async commentDecided(comment: StoredComment, fromStatus: StoredComment["status"]): Promise<void> {
      const site = sites.get(comment.siteId);
      if (!site) return;
      const to = statementRecipient({ from: fromStatus, to: comment.status, authorEmail: comment.authorEmail }, mailSettingsOf(site));
      if (!to) return;
      const thread = await threadPageOf(store, site, comment.threadId);
      await sender.send(
        statementMail(setup, {
          to,
          language: commentLanguage(comment.body),
          thread,
          comment: { body: comment.body, reasons: comment.reasons, details: comment.details, flags: comment.flags, flagReasons: comment.flagReasons },
          decidedAt: now().toISOString(),
          contactUrl: site.contactUrl,
        }),
      );
    },

    /** The timer: every gathering that is due on every site is mailed. */
    async flushDue(): Promise<void> {
      for (const site of sites.values()) {
        const { gatherMinutes } = mailSettingsOf(site);
        for (const due of await store.listDueGathers(site.id, now())) {
          const send = await gatherStep(due, (state, at) => flushGathered(state ?? { lastSentAt: null, lastSentIds: [], waiting: [] }, at, gatherMinutes));
          if (send) await sendNotification(site, due, send);
        }
      }
    },

    /** The scheduler: each site with a digest and a non-empty queue gets one per hour or day. */
    async sendDigests(): Promise<void> {
      for (const site of sites.values()) {
        const settings = mailSettingsOf(site).moderatorDigest;
        if (!settings) continue;
        const at = now();
        const waiting: QueuedForDigest[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: StoredComment[]; nextCursor: string | null } = await store.listQueue(site.id, 100, cursor);
          waiting.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor && waiting.length < digestReadLimit);
        const summary = summarizeQueue(waiting);
        const to = digestRecipients({ settings, summary, lastSentAt: await store.digestSentAt(site.id), now: at });
        if (!to) continue;
        // Recorded first: a crash mid-way sends one digest too few, never a second to the same moderators.
        await store.recordDigestSent(site.id, at);
        for (const address of to) {
          await sender.send(digestMail(setup, { to: address, language: "en", siteName: site.name, every: settings.every, summary, reviewUrl: options.reviewUrl, now: at }));
        }
      }
    },
  };
}

/** The mail worker's type. */
export type MailWorker = ReturnType<typeof mailWorker>;

/** Runs a mail job, logging (never throwing) a failure of the store or the composition. */
export async function mailJob(logger: Logger, what: string, job: () => Promise<void>): Promise<void> {
  try {
    await job();
  } catch (error) {
    logger.error("mail job failed", { job: what, cause: redactAddresses(String((error as Error)?.message ?? error)) });
  }
}
