import type { ReasonCode } from "@comments/core";
import type { MailMessage } from "../message.ts";
import { formatDate, formatNumber, mailWordsFor } from "../words/index.ts";
import type { QueueSummary } from "../decide/digest.ts";
import { mailFromBlocks, type MailBlock } from "./html.ts";
import type { MailSetup } from "./links.ts";

/** Everything the moderator digest says. */
export interface DigestMailInput {
  to: string;
  /** The moderators' language (English unless the site says otherwise). */
  language: string;
  siteName: string;
  every: "hour" | "day";
  summary: QueueSummary;
  /** The review page, absolute. */
  reviewUrl: string;
  now: Date;
}

/** The moderator digest: queue size, oldest waiting, counts by reason, a link to the review page. */
export function digestMail(setup: MailSetup, input: DigestMailInput): MailMessage {
  const { words, direction } = mailWordsFor(input.language);
  const number = (value: number) => formatNumber(words.language, value);
  const { size, oldestQueuedAt, countsByReason } = input.summary;
  const subject = words.digest.subject(size, number(size), input.siteName);
  const blocks: MailBlock[] = [{ kind: "paragraph", text: words.digest.waiting(number(size)) }];
  if (oldestQueuedAt) {
    const hours = Math.max(0, Math.floor((input.now.getTime() - Date.parse(oldestQueuedAt)) / 3_600_000));
    blocks.push({ kind: "paragraph", text: words.digest.oldest(formatDate(words.language, oldestQueuedAt), number(hours)) });
  }
  const counted = Object.entries(countsByReason).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (counted.length > 0) {
    blocks.push({ kind: "paragraph", text: words.digest.byReason });
    blocks.push({ kind: "list", items: counted.map(([reason, count]) => `${words.digest.labels[reason as ReasonCode] ?? reason.replaceAll("_", " ")}: ${number(count)}`) });
  }
  blocks.push({ kind: "action", label: words.digest.review, href: input.reviewUrl });
  blocks.push({ kind: "footer", text: words.digest.why(input.every) });
  return mailFromBlocks({ to: input.to, from: setup.from, subject, blocks, language: words.language, direction, headers: {}, kind: "digest" });
}
