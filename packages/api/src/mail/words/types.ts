import type { ReasonCode } from "@comments/core";

/** What a subscription asks for: replies to one's own comment, or every new comment on a thread. */
export type SubscriptionKind = "replies" | "thread";

/**
 * Every sentence of every mail in one language. Values that vary are passed in already formatted (dates and
 * numbers in the language's own digits); the builders escape them for HTML.
 */
export interface MailWords {
  /** BCP 47 code this table is for. */
  language: string;
  confirmation: {
    subject(site: string): string;
    intro(kind: SubscriptionKind, title: string): string;
    action: string;
    ignore: string;
  };
  notification: {
    subject(kind: SubscriptionKind, count: number, countText: string, title: string): string;
    intro(kind: SubscriptionKind, count: number, countText: string, title: string): string;
    wrote(name: string): string;
    read: string;
    why(kind: SubscriptionKind, site: string): string;
  };
  statement: {
    subject(site: string): string;
    intro(site: string, title: string): string;
    began: string;
    decision(date: string): string;
    why: string;
    /** The reason as the comment's author should read it. */
    reasons: Record<ReasonCode | "moderator", string>;
    /** An outside check (captcha provider, toxicity model, moderation hook) could not answer. */
    checkUnavailable: string;
    flagged(count: number, countText: string): string;
    appeal: string;
    noAppeal: string;
  };
  digest: {
    subject(count: number, countText: string, site: string): string;
    waiting(count: string): string;
    oldest(date: string, hours: string): string;
    byReason: string;
    /** Short reason names for moderators. */
    labels: Record<ReasonCode, string>;
    review: string;
    why(every: "hour" | "day"): string;
  };
  unsubscribe: string;
}
