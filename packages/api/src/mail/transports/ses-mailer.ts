import type { SESv2Client, SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { MailSendError, type MailMessage, type Mailer } from "../message.ts";
import { redactAddresses } from "../address.ts";

/** Options for {@link sesMailer}. */
export interface SesMailerOptions {
  /** Defaults to the function's own region (`AWS_REGION`). */
  region?: string;
  /** SES's public endpoint unless set (tests, a VPC endpoint). */
  endpoint?: string;
  /**
   * `simple` lets SES build the MIME message (subject, both parts, our headers); `raw` sends the message as
   * nodemailer composes it, byte for byte the same as over SMTP.
   */
  content?: "simple" | "raw";
  /** An SES configuration set (event publishing of bounces and complaints). */
  configurationSetName?: string;
  /** One attempt is abandoned after this long (default 10 s). */
  timeoutMs?: number;
}

/** SES errors that another attempt cannot fix (refused message, unverified sender, paused or suspended account). */
const permanentErrors = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "AccountSuspendedException",
  "SendingPausedException",
  "NotFoundException",
  "BadRequestException",
]);

/**
 * The Amazon SES v2 transport (`SendEmail`). Retries are left to the sender, which owns the backoff, so the
 * client itself makes one attempt.
 * @example const mailer = sesMailer({ region: "eu-west-1" });
 */
export function sesMailer(options: SesMailerOptions = {}): Mailer {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let client: Promise<{ client: SESv2Client; SendEmailCommand: typeof import("@aws-sdk/client-sesv2").SendEmailCommand }> | undefined;
  // Loaded on first use, so a function that never mails never pays for the SDK client at cold start.
  const clientOnce = () => {
    client ??= import("@aws-sdk/client-sesv2").then(({ SESv2Client, SendEmailCommand }) => {
      const local = options.endpoint !== undefined && isLoopback(options.endpoint);
      return {
        client: new SESv2Client({
          ...(options.region ? { region: options.region } : local ? { region: "us-east-1" } : {}),
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          // A local stand-in checks no signature; fixed credentials keep tests free of AWS setup.
          ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
          maxAttempts: 1,
        }),
        SendEmailCommand,
      };
    });
    // A failed load is not kept: the next mail tries again.
    client.catch(() => (client = undefined));
    return client;
  };

  return {
    transport: "ses",
    async send(message) {
      try {
        const { client: ses, SendEmailCommand } = await clientOnce();
        const input: SendEmailCommandInput = {
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [message.to] },
          Content: options.content === "raw" ? { Raw: { Data: await rawMessage(message) } } : simpleContent(message),
          ...(options.configurationSetName ? { ConfigurationSetName: options.configurationSetName } : {}),
        };
        const output = await ses.send(new SendEmailCommand(input), { abortSignal: AbortSignal.timeout(timeoutMs) });
        return { messageId: output.MessageId ?? null };
      } catch (error) {
        throw sesFailure(error);
      }
    },
    async close() {
      if (client) (await client).client.destroy();
    },
  };
}

function simpleContent(message: MailMessage): NonNullable<SendEmailCommandInput["Content"]> {
  const utf8 = (Data: string) => ({ Data, Charset: "UTF-8" });
  return {
    Simple: {
      Subject: utf8(message.subject),
      Body: { Text: utf8(message.text), Html: utf8(message.html) },
      Headers: Object.entries({ ...message.headers, "Content-Language": message.language }).map(([Name, Value]) => ({ Name, Value })),
    },
  };
}

/** The full MIME message, as nodemailer would send it over SMTP (loaded only when raw content is asked for). */
async function rawMessage(message: MailMessage): Promise<Buffer> {
  const { default: MailComposer } = await import("nodemailer/lib/mail-composer");
  const composer = new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { ...message.headers, "Content-Language": message.language },
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

function sesFailure(error: unknown): MailSendError {
  const failure = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = failure.name ?? "Error";
  const status = failure.$metadata?.httpStatusCode;
  const where = status !== undefined ? `${name}, HTTP ${status}` : name === "TimeoutError" || name === "AbortError" ? "no answer in time" : name;
  return new MailSendError(redactAddresses(`${where}: ${failure.message ?? String(error)}`), permanentErrors.has(name), { cause: error });
}

function isLoopback(url: string): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
}
