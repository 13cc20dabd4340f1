import { createTransport } from "nodemailer";
import { MailSendError, type Mailer } from "../message.ts";
import { redactAddresses } from "../address.ts";

/** Options for {@link smtpMailer}. */
export interface SmtpMailerOptions {
  /** `SMTP_URL`: `smtp://[user:pass@]host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  url: string;
  /** One connection, greeting or socket wait is abandoned after this long (default 10 s). */
  timeoutMs?: number;
}

/** Checks an `SMTP_URL` and says what is wrong, or null when it can be used. */
export function smtpUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be a URL such as smtp://127.0.0.1:2525";
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") return "must start with smtp:// or smtps://";
  if (parsed.hostname === "") return "must name a host";
  return null;
}

/**
 * The SMTP transport (nodemailer), for `SMTP_URL`. One connection per mail: mails are few and sent off the
 * request path, so a pool would only hold idle sockets. Never reads files or URLs named in a message.
 * @example const mailer = smtpMailer({ url: "smtp://127.0.0.1:2525" });
 */
export function smtpMailer(options: SmtpMailerOptions): Mailer {
  const problem = smtpUrlProblem(options.url);
  if (problem) throw new Error(`SMTP_URL ${problem}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transporter = createTransport({
    url: options.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    transport: "smtp",
    async send(message) {
      try {
        const info = await transporter.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { ...message.headers, "Content-Language": message.language },
        });
        return { messageId: info.messageId ?? null };
      } catch (error) {
        throw smtpFailure(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** 5xx answers and refused envelopes are final; connection trouble and 4xx answers are worth another try. */
function smtpFailure(error: unknown): MailSendError {
  const failure = (error ?? {}) as { message?: string; code?: string; responseCode?: number };
  const permanent = (failure.responseCode !== undefined && failure.responseCode >= 500) || failure.code === "EENVELOPE";
  const status = failure.responseCode !== undefined ? `SMTP ${failure.responseCode}` : (failure.code ?? "SMTP error");
  return new MailSendError(redactAddresses(`${status}: ${failure.message ?? String(error)}`), permanent, { cause: error });
}
