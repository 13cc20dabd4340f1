import { afterEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { MailSendError, mailSender, newMailToken, notificationMail, sesMailer, type Mailer } from "@comments/api/mail";
import { startReceiver, type HttpReceiver, type ReceivedRequest, type ReceiverAnswer } from "./support/http-receiver.ts";
import { englishThread, mailSetup, persianThread } from "./support/smtp-mail-fixtures.ts";

let ses: HttpReceiver | undefined;
let mailer: Mailer | undefined;
afterEach(async () => {
  await mailer?.close?.();
  await ses?.close();
  ses = undefined;
  mailer = undefined;
});

/** What a SES v2 `SendEmail` request carries (REST JSON). */
interface SendEmailBody {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: {
    Simple?: {
      Subject: { Data: string; Charset: string };
      Body: { Text: { Data: string; Charset: string }; Html: { Data: string; Charset: string } };
      Headers: Array<{ Name: string; Value: string }>;
    };
    Raw?: { Data: string };
  };
  ConfigurationSetName?: string;
}
const bodyOf = (request: ReceivedRequest) => JSON.parse(request.body) as SendEmailBody;

/** SES's answer to a SendEmail it accepted. */
const accepted = (id = "0100018c-test-message-id-000000"): ReceiverAnswer => ({ status: 200, body: JSON.stringify({ MessageId: id }) });

/** A SES v2 error as the REST JSON protocol sends it: the type in `x-amzn-ErrorType`, a message in the body. */
const sesError = (status: number, type: string, message: string): ReceiverAnswer => ({
  status,
  headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/` },
  body: JSON.stringify({ message }),
});

async function sesPair(answer: (request: ReceivedRequest, index: number) => ReceiverAnswer, options: Parameters<typeof sesMailer>[0] = {}) {
  ses = await startReceiver(answer);
  mailer = sesMailer({ endpoint: ses.url, region: "eu-west-1", ...options });
  return { ses, mailer };
}

const reply = (to = "reader@example.org") =>
  notificationMail(mailSetup, {
    to,
    language: "en",
    kind: "thread",
    thread: englishThread,
    comments: [{ id: "c1", authorName: "Ann", body: "The budget is late again.", createdAt: "2026-12-02T08:00:00.000Z" }],
    unsubscribeToken: newMailToken("unsubscribe").token,
  });

describe("mail through Amazon SES v2 (a local server speaking SES's JSON API)", () => {
  it("sends SendEmail with simple content: both parts in UTF-8, the unsubscribe headers and the language, signed for SES", async () => {
    const { ses, mailer } = await sesPair(() => accepted("0100018c-abc"), { configurationSetName: "comments-feedback" });
    const message = reply();
    expect(await mailer.send(message)).toEqual({ messageId: "0100018c-abc" });
    const [request] = ses.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v2/email/outbound-emails" });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-west-1\/ses\/aws4_request/);
    const body = bodyOf(request!);
    expect(body).toMatchObject({
      FromEmailAddress: "Comments <comments@news.example>",
      Destination: { ToAddresses: ["reader@example.org"] },
      ConfigurationSetName: "comments-feedback",
      Content: {
        Simple: {
          Subject: { Data: "New comment on “Parliament votes on the budget”", Charset: "UTF-8" },
          Body: { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } },
        },
      },
    });
    expect(body.Content.Simple!.Headers).toEqual([
      { Name: "List-Unsubscribe", Value: message.headers["List-Unsubscribe"] },
      { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
      { Name: "Content-Language", Value: "en" },
    ]);
  });

  it("sends raw content as a complete MIME message that a mail parser reads back", async () => {
    const { ses, mailer } = await sesPair(() => accepted(), { content: "raw" });
    const message = notificationMail(mailSetup, {
      to: "reader@example.org",
      language: "fa",
      kind: "thread",
      thread: persianThread,
      comments: [
        { id: "c1", authorName: "مریم", body: "نخست", createdAt: "2026-12-02T08:00:00.000Z" },
        { id: "c2", authorName: "علی", body: "دوم", createdAt: "2026-12-02T08:01:00.000Z" },
      ],
      unsubscribeToken: newMailToken("unsubscribe").token,
    });
    await mailer.send(message);
    const body = bodyOf(ses.requests[0]!);
    expect(body.Content.Simple).toBeUndefined();
    const parsed = await simpleParser(Buffer.from(body.Content.Raw!.Data, "base64"));
    expect(parsed.subject).toBe("۲ دیدگاه تازه دربارهٔ «رأی‌گیری پارلمان دربارهٔ بودجه»");
    expect(parsed.to).toMatchObject({ text: "reader@example.org" });
    expect(parsed.html).toContain('<html lang="fa" dir="rtl">');
    expect(parsed.text).toContain("مریم نوشت:");
    expect(parsed.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  it("marks a refused message as permanent and throttling as worth another try, with no address in the error", async () => {
    const answers = [
      sesError(400, "MessageRejected", "Email address is not verified. The following identities failed the check in region EU-WEST-1: reader@example.org"),
      sesError(429, "TooManyRequestsException", "Maximum sending rate exceeded."),
      sesError(400, "MailFromDomainNotVerifiedException", "MAIL FROM domain not verified"),
    ];
    const { mailer } = await sesPair((_, index) => answers[index]!);
    const failures: MailSendError[] = [];
    for (let i = 0; i < answers.length; i++) failures.push(await mailer.send(reply()).then(() => Promise.reject(new Error("accepted")), (error: MailSendError) => error));
    expect(failures.map((failure) => [failure.name, failure.permanent])).toEqual([
      ["MailSendError", true],
      ["MailSendError", false],
      ["MailSendError", true],
    ]);
    expect(failures[0]!.message).toBe("MessageRejected, HTTP 400: Email address is not verified. The following identities failed the check in region EU-WEST-1: [address]");
    expect(failures[1]!.message).toMatch(/^TooManyRequestsException, HTTP 429/);
  });

  it("is retried by the sender through throttling and a 500 until SES accepts the mail", async () => {
    const { ses, mailer } = await sesPair((_, index) =>
      index === 0 ? sesError(429, "TooManyRequestsException", "Maximum sending rate exceeded.") : index === 1 ? sesError(500, "InternalFailure", "oops") : accepted("0100018c-third"),
    );
    const sender = mailSender({ mailer, policy: { baseDelayMs: 1, maxDelayMs: 1 }, logger: { error: () => undefined } });
    expect(await sender.send(reply())).toEqual({ status: "sent", attempts: 3, messageId: "0100018c-third" });
    expect(ses.requests).toHaveLength(3);
  });

  it("gives up when SES cannot be reached, without throwing", async () => {
    const { ses, mailer } = await sesPair(() => accepted());
    await ses.close();
    const logged: Array<Record<string, unknown>> = [];
    const sender = mailSender({ mailer, policy: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, logger: { error: (text, details) => logged.push({ text, ...details }) } });
    expect(await sender.send(reply())).toMatchObject({ status: "failed", attempts: 2, permanent: false });
    expect(logged).toEqual([expect.objectContaining({ text: "mail not sent", transport: "ses", kind: "notification" })]);
  });
});
