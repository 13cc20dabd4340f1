import type { CommentStatus } from "@comments/core";
import { normalizeAddress, sameAddress } from "../address.ts";
import type { SubscriptionKind } from "../words/index.ts";

/** A subscription as the decisions see it (the store keeps it; only the token's hash is stored). */
export interface MailSubscription {
  id: string;
  siteId: string;
  threadId: string;
  kind: SubscriptionKind;
  /** For `replies`: the subscriber's own comment, whose replies are wanted. */
  commentId: string | null;
  address: string;
  /** `unconfirmed` until the double opt-in link is followed (or at once for a verified sign-in). */
  state: "unconfirmed" | "confirmed" | "unsubscribed";
  /** The language of the comment that asked for it; mails are written in it. */
  language: string;
}

/** The comment whose publication may notify subscribers. */
export interface CommentForMail {
  siteId: string;
  threadId: string;
  id: string;
  parentId: string | null;
  status: CommentStatus;
  /** The author's address, when they gave one (never mailed about their own comment). */
  authorEmail: string | null;
}

/** One address to notify, and the subscription the mail is sent under (its unsubscribe link, language). */
export interface NotificationRecipient {
  address: string;
  subscription: MailSubscription;
}

/**
 * Who is mailed when `comment` is published: confirmed `replies` subscribers of its parent comment and
 * confirmed `thread` subscribers of its thread, one mail per address (a reply subscription wins, its words are
 * more precise). Nobody for a comment that is not published, and never the comment's own author.
 */
export function notificationRecipients(comment: CommentForMail, subscriptions: readonly MailSubscription[]): NotificationRecipient[] {
  if (comment.status !== "published") return [];
  const chosen = new Map<string, MailSubscription>();
  for (const subscription of subscriptions) {
    if (subscription.state !== "confirmed") continue;
    if (subscription.siteId !== comment.siteId || subscription.threadId !== comment.threadId) continue;
    if (subscription.commentId === comment.id || sameAddress(subscription.address, comment.authorEmail)) continue;
    const wanted = subscription.kind === "thread" || (comment.parentId !== null && subscription.commentId === comment.parentId);
    if (!wanted) continue;
    const key = normalizeAddress(subscription.address);
    const earlier = chosen.get(key);
    if (!earlier || (earlier.kind === "thread" && subscription.kind === "replies")) chosen.set(key, subscription);
  }
  return [...chosen.values()].map((subscription) => ({ address: subscription.address, subscription }));
}
