import type { FlagReason, ReasonCode } from "@comments/core";
import type { MailMessage } from "../message.ts";
import { formatDate, formatNumber, mailWordsFor, type MailWords } from "../words/index.ts";
import { mailFromBlocks, type MailBlock } from "./html.ts";
import { excerpt, type MailSetup } from "./links.ts";
import { threadName, type ThreadPage } from "./thread.ts";

/** The rejected comment, as the statement of reasons describes it. */
export interface RejectedComment {
  body: string;
  /** The reason codes the moderation phases gave (in order) and their plain-word details. */
  reasons: readonly string[];
  details: readonly string[];
  flags: number;
  flagReasons?: Partial<Record<FlagReason, number>>;
}

/** Everything a statement of reasons says. */
export interface StatementMailInput {
  to: string;
  language: string;
  thread: ThreadPage;
  comment: RejectedComment;
  /** When the moderator decided. */
  decidedAt: string;
  /** The site's top-level `contactUrl`, where an author can ask for the decision to be reviewed. */
  contactUrl: string | null;
}

const startLength = 300;

/**
 * The statement of reasons (EU Digital Services Act, art. 17) for the author of a rejected comment: the start
 * of the comment, the decision and its date, the reasons in plain words, and where to appeal. No unsubscribe
 * header: it belongs to no subscription, and it is sent once.
 */
export function statementMail(setup: MailSetup, input: StatementMailInput): MailMessage {
  const { words, direction } = mailWordsFor(input.language);
  const subject = words.statement.subject(input.thread.siteName);
  const blocks: MailBlock[] = [
    { kind: "paragraph", text: words.statement.intro(input.thread.siteName, threadName(input.thread)) },
    { kind: "quote", by: words.statement.began, text: excerpt(input.comment.body, startLength) },
    { kind: "paragraph", text: words.statement.decision(formatDate(words.language, input.decidedAt)) },
    { kind: "paragraph", text: words.statement.why },
    { kind: "list", items: reasonsForAuthor(input.comment, words) },
    input.contactUrl
      ? { kind: "link", text: words.statement.appeal, label: input.contactUrl, href: input.contactUrl }
      : { kind: "paragraph", text: words.statement.noAppeal },
  ];
  return mailFromBlocks({ to: input.to, from: setup.from, subject, blocks, language: words.language, direction, headers: {}, kind: "statement" });
}

/** Reasons whose recorded detail tells the author something specific (the word, the link count, the score). */
const specificDetails = new Set<string>(["too_many_links", "suspect_words", "banned_words", "toxicity", "external_hook", "captcha_low_score"]);

/** "captcha provider unavailable (…)", "toxicity check unavailable (…)", "external hook unavailable (…)". */
const outage = /\bunavailable\b/;

/**
 * Each reason in the author's language, followed by the detail the moderation phase wrote at post time when it
 * is specific ("suspect word: casino", "4 links (more than 2)"); an outside check that could not answer is said
 * as such, without its internal error; reader reports are counted. With no recorded reason (a published
 * comment a moderator took down), the moderator's judgement is the reason.
 */
export function reasonsForAuthor(comment: RejectedComment, words: MailWords): string[] {
  const sentences = words.statement.reasons;
  const lines = comment.reasons.flatMap((reason, index) => {
    if (reason === "reader_flags") return comment.flags > 0 ? [] : [sentences.reader_flags];
    const detail = comment.details[index]?.trim() ?? "";
    if (reason !== "captcha_unavailable" && outage.test(detail)) return [words.statement.checkUnavailable];
    const sentence = sentences[reason as ReasonCode] ?? sentences.moderator;
    return [detail && specificDetails.has(reason) ? `${sentence} (${detail})` : sentence];
  });
  if (comment.flags > 0) lines.push(words.statement.flagged(comment.flags, formatNumber(words.language, comment.flags)));
  return lines.length > 0 ? [...new Set(lines)] : [sentences.moderator];
}
