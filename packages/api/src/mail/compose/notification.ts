import type { MailMessage } from "../message.ts";
import { formatNumber, mailWordsFor, type SubscriptionKind } from "../words/index.ts";
import { mailFromBlocks, type MailBlock } from "./html.ts";
import { excerpt, unsubscribeHeaders, unsubscribeLink, type MailSetup } from "./links.ts";
import { commentLink, threadName, type ThreadPage } from "./thread.ts";

/** A published comment as a notification shows it. */
export interface NotifiedComment {
  id: string;
  authorName: string;
  /** The comment's text as written (never its HTML). */
  body: string;
  createdAt: string;
}

/** Everything a reply or thread notification says. */
export interface NotificationMailInput {
  to: string;
  language: string;
  kind: SubscriptionKind;
  thread: ThreadPage;
  /** The new comments gathered into this mail, oldest first (at least one). */
  comments: readonly NotifiedComment[];
  unsubscribeToken: string;
}

/** Comments quoted in one mail; the rest are counted and one link away. */
const quotedAtMost = 5;
const quoteLength = 600;

/** The mail about new published comments: each quoted (start only), a link to the conversation, unsubscribe. */
export function notificationMail(setup: MailSetup, input: NotificationMailInput): MailMessage {
  if (input.comments.length === 0) throw new Error("A notification needs at least one comment");
  const { words, direction } = mailWordsFor(input.language);
  const count = input.comments.length;
  const countText = formatNumber(words.language, count);
  const title = threadName(input.thread);
  const unsubscribe = unsubscribeLink(setup.apiBaseUrl, input.thread.siteId, input.unsubscribeToken);
  const subject = words.notification.subject(input.kind, count, countText, title);
  const first = input.comments[0]!;
  const blocks: MailBlock[] = [
    { kind: "paragraph", text: words.notification.intro(input.kind, count, countText, title) },
    ...input.comments.slice(0, quotedAtMost).map((comment): MailBlock => ({ kind: "quote", by: words.notification.wrote(comment.authorName), text: excerpt(comment.body, quoteLength) })),
    { kind: "action", label: words.notification.read, href: commentLink(input.thread, setup.apiBaseUrl, first.id) },
    { kind: "footer", text: words.notification.why(input.kind, input.thread.siteName), link: { label: words.unsubscribe, href: unsubscribe } },
  ];
  return mailFromBlocks({ to: input.to, from: setup.from, subject, blocks, language: words.language, direction, headers: unsubscribeHeaders(unsubscribe), kind: "notification" });
}
