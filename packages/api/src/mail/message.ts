/**
 * The mail port: what a message is and what a transport must do with it. Adapters (SMTP, SES, the dev
 * mailbox) live beside this file; the decision of who gets what lives in `decide/`, free of any transport.
 */

/** What a mail is for; used in logs and counts, where the address never appears. */
export type MailKind = "confirmation" | "notification" | "statement" | "digest";

/** Reading direction of a mail's language. */
export type TextDirection = "ltr" | "rtl";

/** One mail to one address, ready for any transport. */
export interface MailMessage {
  to: string;
  /** The sender (`MAIL_FROM`), e.g. `Comments <comments@news.example>`. */
  from: string;
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part: self-contained, no external images, every link absolute. */
  html: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers: Record<string, string>;
  /** BCP 47 language of the text (sent as `Content-Language`). */
  language: string;
  direction: TextDirection;
  kind: MailKind;
}

/** What a transport says about a mail it accepted. */
export interface MailReceipt {
  /** The transport's id for the mail (SMTP Message-ID, SES MessageId), when it gives one. */
  messageId: string | null;
}

/** The mail port: hands one message to a transport. Throws {@link MailSendError} when the transport refuses. */
export interface Mailer {
  /** Short transport name for logs: `smtp`, `ses`, `dev-mailbox`. */
  readonly transport: string;
  send(message: MailMessage): Promise<MailReceipt>;
  /** Releases connections, if the transport keeps any. */
  close?(): Promise<void>;
}

/**
 * A transport's refusal. `permanent` means another attempt cannot succeed (address refused, sender not
 * verified, message rejected); otherwise the sender retries with backoff.
 */
export class MailSendError extends Error {
  override name = "MailSendError";
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Languages written right to left (the service's own list of languages, DESIGN §5). */
const rightToLeft = new Set(["fa", "ps", "ar", "ur", "he"]);

/** `rtl` for Persian, Pashto, Arabic, Urdu and Hebrew (any region), else `ltr`. */
export function directionOf(language: string): TextDirection {
  return rightToLeft.has(language.toLowerCase().split("-")[0] ?? "") ? "rtl" : "ltr";
}
