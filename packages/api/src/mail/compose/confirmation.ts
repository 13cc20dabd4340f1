import type { MailMessage } from "../message.ts";
import { mailWordsFor, type SubscriptionKind } from "../words/index.ts";
import { mailFromBlocks, type MailBlock } from "./html.ts";
import { confirmLink, unsubscribeHeaders, unsubscribeLink, type MailSetup } from "./links.ts";
import { threadName, type ThreadPage } from "./thread.ts";

/** Everything the double opt-in mail says. */
export interface ConfirmationMailInput {
  to: string;
  /** The language of the comment that asked for the subscription. */
  language: string;
  kind: SubscriptionKind;
  thread: ThreadPage;
  /** The single-use confirmation token (its hash is stored). */
  confirmToken: string;
  /** The subscription's unsubscribe token, so even this mail can be refused in one click. */
  unsubscribeToken: string;
}

/** The double opt-in mail: a link to confirm, and the one-click unsubscribe headers. */
export function confirmationMail(setup: MailSetup, input: ConfirmationMailInput): MailMessage {
  const { words, direction } = mailWordsFor(input.language);
  const unsubscribe = unsubscribeLink(setup.apiBaseUrl, input.thread.siteId, input.unsubscribeToken);
  const subject = words.confirmation.subject(input.thread.siteName);
  const blocks: MailBlock[] = [
    { kind: "paragraph", text: words.confirmation.intro(input.kind, threadName(input.thread)) },
    { kind: "action", label: words.confirmation.action, href: confirmLink(setup.apiBaseUrl, input.thread.siteId, input.confirmToken) },
    { kind: "paragraph", text: words.confirmation.ignore },
    { kind: "footer", text: words.notification.why(input.kind, input.thread.siteName), link: { label: words.unsubscribe, href: unsubscribe } },
  ];
  return mailFromBlocks({ to: input.to, from: setup.from, subject, blocks, language: words.language, direction, headers: unsubscribeHeaders(unsubscribe), kind: "confirmation" });
}
