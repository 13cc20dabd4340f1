import { describe, expect, it } from "vitest";
import { devMailbox, mailSender, memorySuppressionList, suppressionsFromSesNotification, suppressionsFromSnsEvent, type MailMessage } from "@comments/api/mail";

// Shapes as in the AWS documentation: "Amazon SNS notification examples for Amazon SES" (identity
// notifications), "Examples of event data that Amazon SES publishes to Amazon SNS" (configuration sets), and
// the Lambda SNS event ("Using AWS Lambda with Amazon SNS").

const mailObject = {
  timestamp: "2016-01-27T14:59:38.237Z",
  source: "john@example.com",
  sourceArn: "arn:aws:ses:us-east-1:888888888888:identity/example.com",
  sourceIp: "127.0.3.0",
  sendingAccountId: "123456789012",
  callerIdentity: "IAM_user_or_role_name",
  messageId: "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
  destination: ["jane@example.com", "mary@example.com", "richard@example.com"],
  headersTruncated: false,
  headers: [
    { name: "From", value: '"John Doe" <john@example.com>' },
    { name: "To", value: '"Jane Doe" <jane@example.com>, "Mary Doe" <mary@example.com>, "Richard Doe" <richard@example.com>' },
    { name: "Message-ID", value: "custom-message-ID" },
    { name: "Subject", value: "Hello" },
  ],
  commonHeaders: {
    from: ['"John Doe" <john@example.com>'],
    date: "Wed, 27 Jan 2016 14:05:45 +0000",
    to: ['"Jane Doe" <jane@example.com>, "Mary Doe" <mary@example.com>, "Richard Doe" <richard@example.com>'],
    messageId: "custom-message-ID",
    subject: "Hello",
  },
};

const permanentBounceWithDsn = {
  notificationType: "Bounce",
  bounce: {
    bounceType: "Permanent",
    reportingMTA: "dns; email.example.com",
    bouncedRecipients: [{ emailAddress: "jane@example.com", status: "5.1.1", action: "failed", diagnosticCode: "smtp; 550 5.1.1 <jane@example.com>... User" }],
    bounceSubType: "General",
    timestamp: "2016-01-27T14:59:38.237Z",
    feedbackId: "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000",
    remoteMtaIp: "127.0.2.0",
  },
  mail: mailObject,
};

const permanentBounceWithoutDsn = {
  notificationType: "Bounce",
  bounce: {
    bounceType: "Permanent",
    bounceSubType: "General",
    bouncedRecipients: [{ emailAddress: "jane@example.com" }, { emailAddress: "richard@example.com" }],
    timestamp: "2016-01-27T14:59:38.237Z",
    feedbackId: "00000137860315fd-869464a4-8680-4114-98d3-716fe35851f9-000000",
    remoteMtaIp: "127.0.2.0",
  },
  mail: mailObject,
};

const transientBounce = {
  notificationType: "Bounce",
  bounce: {
    bounceType: "Transient",
    bounceSubType: "MailboxFull",
    bouncedRecipients: [{ emailAddress: "mary@example.com", action: "delayed", status: "4.2.2", diagnosticCode: "smtp; 452 4.2.2 Mailbox full" }],
    timestamp: "2016-01-27T14:59:38.237Z",
    feedbackId: "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068b-000000",
  },
  mail: mailObject,
};

const complaintWithFeedbackReport = {
  notificationType: "Complaint",
  complaint: {
    userAgent: "AnyCompany Feedback Loop (V0.01)",
    complainedRecipients: [{ emailAddress: "richard@example.com" }],
    complaintFeedbackType: "abuse",
    arrivalDate: "2016-01-27T14:59:38.237Z",
    timestamp: "2016-01-27T14:59:38.237Z",
    feedbackId: "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000",
  },
  mail: mailObject,
};

const delivery = {
  notificationType: "Delivery",
  mail: mailObject,
  delivery: {
    timestamp: "2016-01-27T14:59:38.237Z",
    recipients: ["jane@example.com"],
    processingTimeMillis: 546,
    reportingMTA: "a8-70.smtp-out.amazonses.com",
    smtpResponse: "250 ok:  Message 64111812 accepted",
    remoteMtaIp: "127.0.2.0",
  },
};

/** Configuration-set event publishing names the type `eventType` (and may carry tags). */
const publishedBounceEvent = {
  eventType: "Bounce",
  bounce: {
    bounceType: "Permanent",
    bounceSubType: "General",
    bouncedRecipients: [{ emailAddress: "recipient@example.com", action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" }],
    timestamp: "2017-08-05T00:41:02.669Z",
    feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
    reportingMTA: "dsn; mta.example.com",
  },
  mail: { ...mailObject, destination: ["recipient@example.com"], tags: { "ses:configuration-set": ["ConfigSet"] } },
};

const publishedComplaintEvent = {
  eventType: "Complaint",
  complaint: {
    complainedRecipients: [{ emailAddress: "Recipient@Example.com" }],
    timestamp: "2017-08-05T00:41:02.669Z",
    feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
    complaintFeedbackType: "abuse",
    arrivalDate: "2017-08-05T00:41:02.669Z",
  },
  mail: { ...mailObject, destination: ["recipient@example.com"] },
};

/** A Lambda invocation by SNS: one record per message, the SES JSON as a string in `Sns.Message`. */
function snsEvent(...messages: Array<unknown>) {
  return {
    Records: messages.map((message, i) => ({
      EventVersion: "1.0",
      EventSubscriptionArn: "arn:aws:sns:us-east-1:123456789012:ses-feedback:21be56ed-a058-49f5-8c98-aedd2564c486",
      EventSource: "aws:sns",
      Sns: {
        SignatureVersion: "1",
        Timestamp: "2016-01-27T14:59:39.000Z",
        Signature: "tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==",
        SigningCertUrl: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem",
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${i}`,
        Message: typeof message === "string" ? message : JSON.stringify(message),
        MessageAttributes: {},
        Type: "Notification",
        UnsubscribeUrl: "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:ses-feedback:21be56ed",
        TopicArn: "arn:aws:sns:us-east-1:123456789012:ses-feedback",
        Subject: null,
      },
    })),
  };
}

describe("bounces and complaints from SES (through SNS)", () => {
  it("suppresses the recipients of a permanent bounce, with or without a delivery status notification", () => {
    expect(suppressionsFromSesNotification(permanentBounceWithDsn)).toEqual([{ address: "jane@example.com", reason: "bounce", at: "2016-01-27T14:59:38.237Z" }]);
    expect(suppressionsFromSesNotification(permanentBounceWithoutDsn).map((s) => s.address)).toEqual(["jane@example.com", "richard@example.com"]);
  });

  it("suppresses the recipients of a complaint", () => {
    expect(suppressionsFromSesNotification(complaintWithFeedbackReport)).toEqual([{ address: "richard@example.com", reason: "complaint", at: "2016-01-27T14:59:38.237Z" }]);
  });

  it("suppresses nobody for a transient bounce or a delivery", () => {
    expect(suppressionsFromSesNotification(transientBounce)).toEqual([]);
    expect(suppressionsFromSesNotification(delivery)).toEqual([]);
  });

  it("reads configuration-set events (eventType) as well as identity notifications (notificationType)", () => {
    expect(suppressionsFromSesNotification(publishedBounceEvent)).toEqual([{ address: "recipient@example.com", reason: "bounce", at: "2017-08-05T00:41:02.669Z" }]);
    expect(suppressionsFromSesNotification(publishedComplaintEvent)).toEqual([{ address: "Recipient@Example.com", reason: "complaint", at: "2017-08-05T00:41:02.669Z" }]);
  });

  it("reads every record of a Lambda SNS event, skips the ones it cannot read, and lists each address once", () => {
    const event = snsEvent(permanentBounceWithDsn, transientBounce, "not json {", complaintWithFeedbackReport, delivery, permanentBounceWithoutDsn, { unexpected: true });
    const { suppressions, skipped } = suppressionsFromSnsEvent(event);
    expect(skipped).toBe(1);
    expect(suppressions.map((s) => `${s.reason} ${s.address}`)).toEqual(["bounce jane@example.com", "complaint richard@example.com", "bounce richard@example.com"]);
    expect(suppressionsFromSnsEvent({})).toEqual({ suppressions: [], skipped: 0 });
    expect(suppressionsFromSnsEvent(null)).toEqual({ suppressions: [], skipped: 0 });
  });

  it("keeps a bounced or complaining address from ever being mailed again", async () => {
    const list = memorySuppressionList();
    list.add(suppressionsFromSnsEvent(snsEvent(permanentBounceWithDsn, publishedComplaintEvent)).suppressions);
    const mailbox = devMailbox();
    const sender = mailSender({ mailer: mailbox, isSuppressed: list.isSuppressed });
    const mail = (to: string): MailMessage => ({ to, from: "c@news.example", subject: "s", text: "t", html: "<p>t</p>", headers: {}, language: "en", direction: "ltr", kind: "notification" });
    for (const to of ["JANE@example.com", "recipient@example.com", "mary@example.com"]) await sender.send(mail(to));
    expect(mailbox.list().map((kept) => kept.message.to)).toEqual(["mary@example.com"]);
    expect(sender.counts()).toMatchObject({ sent: 1, suppressed: 2 });
  });

  it("holds a mail back while the suppression list cannot be read, and gives up without sending it", async () => {
    const mailbox = devMailbox();
    const logged: Array<Record<string, unknown>> = [];
    const sender = mailSender({
      mailer: mailbox,
      policy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      isSuppressed: () => Promise.reject(new Error("store unavailable for jane@example.com")),
      logger: { error: (text, details) => logged.push({ text, ...details }) },
    });
    const mail: MailMessage = { to: "jane@example.com", from: "c@news.example", subject: "s", text: "t", html: "<p>t</p>", headers: {}, language: "en", direction: "ltr", kind: "digest" };
    expect(await sender.send(mail)).toEqual({ status: "failed", attempts: 3, permanent: false, error: "store unavailable for [address]" });
    expect(mailbox.list()).toEqual([]);
    expect(logged).toEqual([{ text: "mail not sent", kind: "digest", transport: "dev-mailbox", attempts: 3, permanent: false, error: "store unavailable for [address]" }]);
  });
});
