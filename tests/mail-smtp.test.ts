import { afterEach, describe, expect, it } from "vitest";
import {
  confirmationMail,
  digestMail,
  mailSender,
  mailTokenHash,
  memorySuppressionList,
  newMailToken,
  notificationMail,
  smtpMailer,
  statementMail,
  summarizeQueue,
  type MailMessage,
  type Mailer,
} from "@comments/api/mail";
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from "./support/smtp-server.ts";
import { englishThread, linksOf, mailSetup, persianThread } from "./support/smtp-mail-fixtures.ts";

let smtp: TestSmtpServer | undefined;
let mailer: Mailer | undefined;
afterEach(async () => {
  await mailer?.close?.();
  await smtp?.close();
  smtp = undefined;
  mailer = undefined;
});

async function smtpPair(answer?: Parameters<typeof startSmtpServer>[0]) {
  smtp = await startSmtpServer(answer);
  mailer = smtpMailer({ url: smtp.url });
  return { smtp, mailer };
}

/** A header as sent (folded lines joined), or undefined. */
function header(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(name.length + 1).replace(/\r?\n[ \t]+/g, " ").trim();
}

/** The two parts as the reader's mail program sees them. */
function parts(mail: ReceivedMail) {
  expect(typeof mail.parsed.html).toBe("string");
  expect(mail.parsed.text).toBeTruthy();
  return { html: mail.parsed.html as string, text: mail.parsed.text! };
}

/** Rules every mail keeps: absolute https links, no address in any URL, no image, no script. */
function expectTrustworthy(mail: ReceivedMail) {
  const { html, text } = parts(mail);
  const links = linksOf({ html, text });
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    expect(new URL(link).protocol).toBe("https:");
    expect(decodeURIComponent(link)).not.toContain("@");
  }
  expect(html).not.toMatch(/<img|<script|src=|url\(/i);
}

const subscriber = "Reader.One@Example.org";

describe("mail over SMTP (a real SMTP server, parsed back with mailparser)", () => {
  it("delivers the double opt-in mail with both parts, its language, a confirm link with an opaque token and one-click unsubscribe", async () => {
    const { smtp, mailer } = await smtpPair();
    const confirm = newMailToken("confirm");
    const unsubscribe = newMailToken("unsubscribe");
    const message = confirmationMail(mailSetup, { to: subscriber, language: "en", kind: "replies", thread: englishThread, confirmToken: confirm.token, unsubscribeToken: unsubscribe.token });
    await mailer.send(message);
    const [mail] = await smtp.received(1);
    // The domain is case-insensitive and goes out lower-cased; the local part is kept as written.
    expect(mail!.envelope).toEqual({ from: "comments@news.example", to: ["Reader.One@example.org"] });
    expect(mail!.parsed.to).toMatchObject({ text: "Reader.One@example.org" });
    expect(mail!.parsed.from?.text).toBe('"Comments" <comments@news.example>');
    expect(mail!.parsed.subject).toBe("Confirm your email for comments on Kabul Daily");
    expect(header(mail!, "Content-Language")).toBe("en");
    const { html, text } = parts(mail!);
    expect(html).toMatch(/<html lang="en" dir="ltr">/);
    expect(text).toContain("replies to your comment on “Parliament votes on the budget”");

    const confirmUrl = new URL(linksOf({ html, text }).find((link) => link.includes("/confirm"))!);
    expect(confirmUrl.origin + confirmUrl.pathname).toBe("https://comments.news.example/v1/sites/demo/subscriptions/confirm");
    expect(mailTokenHash("confirm", confirmUrl.searchParams.get("token"))).toBe(confirm.hash);
    expect(text).toContain(`Confirm my email: ${confirmUrl.href}`);

    const unsubscribeUrl = `https://comments.news.example/v1/sites/demo/subscriptions/unsubscribe?token=${unsubscribe.token}`;
    expect(header(mail!, "List-Unsubscribe")).toBe(`<${unsubscribeUrl}>`);
    expect(header(mail!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(html).toContain(`href="${unsubscribeUrl}"`);
    expectTrustworthy(mail!);
  });

  it("delivers a Persian reply notification right to left, in Persian, quoting the reply and linking to it on the article", async () => {
    const { smtp, mailer } = await smtpPair();
    const message = notificationMail(mailSetup, {
      to: subscriber,
      language: "fa",
      kind: "replies",
      thread: persianThread,
      comments: [{ id: "c-reply-1", authorName: "مریم", body: "با شما موافقم. <b>بودجه</b> باید شفاف باشد.", createdAt: "2026-12-02T08:00:00.000Z" }],
      unsubscribeToken: newMailToken("unsubscribe").token,
    });
    await mailer.send(message);
    const [mail] = await smtp.received(1);
    expect(mail!.parsed.subject).toBe("پاسخ تازه به دیدگاه شما دربارهٔ «رأی‌گیری پارلمان دربارهٔ بودجه»");
    expect(header(mail!, "Content-Language")).toBe("fa");
    const { html, text } = parts(mail!);
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toContain("text-align:right");
    expect(text).toContain("مریم نوشت:");
    expect(text).toContain("> با شما موافقم. <b>بودجه</b> باید شفاف باشد.");
    expect(html).toContain("&lt;b&gt;بودجه&lt;/b&gt;");
    expect(linksOf({ html, text })).toContain("https://news.example/fa/2026/12/budget#comment-c-reply-1");
    expect(header(mail!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expectTrustworthy(mail!);
  });

  it("delivers a statement of reasons with the start of the comment, the decision, the reasons and the appeal address, and no unsubscribe header", async () => {
    const { smtp, mailer } = await smtpPair();
    const message = statementMail(mailSetup, {
      to: "author@example.net",
      language: "en",
      thread: englishThread,
      comment: { body: "Visit my casino site for the real budget numbers!", reasons: ["suspect_words"], details: ["suspect word: casino"], flags: 0 },
      decidedAt: "2026-12-02T09:30:00.000Z",
      contactUrl: "https://news.example/contact",
    });
    await mailer.send(message);
    const [mail] = await smtp.received(1);
    expect(mail!.parsed.subject).toBe("Your comment on Kabul Daily was not published");
    const { text } = parts(mail!);
    expect(text).toContain("> Visit my casino site for the real budget numbers!");
    expect(text).toContain("Decision: not published (rejected) on December 2, 2026 at 9:30 AM UTC.");
    expect(text).toContain("- The comment uses words the site reviews before publishing (suspect word: casino)");
    expect(text).toContain("you can ask the site to review it:\nhttps://news.example/contact");
    expect(header(mail!, "List-Unsubscribe")).toBeUndefined();
    expectTrustworthy(mail!);
  });

  it("delivers the moderator digest with the queue size, the oldest waiting comment, counts by reason and the review page", async () => {
    const { smtp, mailer } = await smtpPair();
    const summary = summarizeQueue([
      { queuedAt: "2026-12-02T06:00:00.000Z", createdAt: "2026-12-02T06:00:00.000Z", reasons: ["first_comment"] },
      { queuedAt: "2026-12-02T07:15:00.000Z", createdAt: "2026-12-02T07:15:00.000Z", reasons: ["first_comment", "too_many_links"] },
    ]);
    const message = digestMail(mailSetup, { to: "desk@news.example", language: "en", siteName: "Kabul Daily", every: "day", summary, reviewUrl: "https://comments.news.example/review", now: new Date("2026-12-02T09:00:00.000Z") });
    await mailer.send(message);
    const [mail] = await smtp.received(1);
    expect(mail!.parsed.subject).toBe("2 comments are waiting for review on Kabul Daily");
    const { text } = parts(mail!);
    expect(text).toContain("Comments waiting for review: 2");
    expect(text).toContain("Oldest waiting since December 2, 2026 at 6:00 AM UTC (3 h)");
    expect(text).toContain("- first comment: 2\n- too many links: 1");
    expect(text).toContain("Open the review page: https://comments.news.example/review");
    expectTrustworthy(mail!);
  });
});

describe("sending with retries over SMTP", () => {
  const fast = { baseDelayMs: 1, maxDelayMs: 1 };
  const message = (to = subscriber): MailMessage =>
    confirmationMail(mailSetup, { to, language: "en", kind: "thread", thread: englishThread, confirmToken: newMailToken("confirm").token, unsubscribeToken: newMailToken("unsubscribe").token });

  it("retries a mail the server refuses for now (4xx) and delivers it once the server accepts", async () => {
    const { smtp, mailer } = await smtpPair((_, index) => (index < 2 ? { accept: false, code: 451, message: "Try again later" } : { accept: true }));
    const sender = mailSender({ mailer, policy: fast, logger: { error: () => undefined } });
    const outcome = await sender.send(message());
    expect(outcome).toMatchObject({ status: "sent", attempts: 3 });
    expect(smtp.refusals.map((refusal) => refusal.code)).toEqual([451, 451]);
    expect(smtp.mails).toHaveLength(1);
    expect(sender.counts()).toEqual({ sent: 1, failed: 0, suppressed: 0, retries: 2 });
  });

  it("gives up at once on a permanent refusal (5xx), logs it without the address and counts it", async () => {
    const { smtp, mailer } = await smtpPair((to) => ({ accept: false, code: 550, message: `5.1.1 <${to[0]}>: Recipient address rejected` }));
    const logged: Array<Record<string, unknown>> = [];
    const sender = mailSender({ mailer, policy: fast, logger: { error: (text, details) => logged.push({ text, ...details }) } });
    const outcome = await sender.send(message());
    expect(outcome).toMatchObject({ status: "failed", attempts: 1, permanent: true });
    expect(smtp.refusals).toHaveLength(1);
    expect(logged).toEqual([{ text: "mail not sent", kind: "confirmation", transport: "smtp", attempts: 1, permanent: true, error: expect.stringContaining("SMTP 550") }]);
    expect(JSON.stringify(logged).toLowerCase()).not.toContain("reader.one@example.org");
    expect(sender.counts()).toMatchObject({ sent: 0, failed: 1 });
  });

  it("never throws when nothing listens: it retries with backoff, then logs and counts the mail it gave up", async () => {
    const { smtp, mailer } = await smtpPair();
    await smtp.close();
    const logged: Array<Record<string, unknown>> = [];
    const waits: number[] = [];
    const sender = mailSender({
      mailer,
      policy: { attempts: 4, baseDelayMs: 100, maxDelayMs: 300 },
      logger: { error: (text, details) => logged.push({ text, ...details }) },
      sleep: async (ms) => void waits.push(ms),
    });
    const outcome = await sender.send(message());
    expect(outcome).toMatchObject({ status: "failed", attempts: 4, permanent: false });
    expect(waits).toHaveLength(3);
    // Doubling from 100 ms (20 % jitter below), capped at 300 ms.
    expect(waits[0]).toBeGreaterThanOrEqual(80);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(160);
    expect(waits[2]).toBeLessThanOrEqual(300);
    expect(logged).toEqual([expect.objectContaining({ text: "mail not sent", attempts: 4, permanent: false })]);
    expect(sender.counts()).toEqual({ sent: 0, failed: 1, suppressed: 0, retries: 3 });
  });

  it("hands a queued mail back to its caller before anything is sent, and delivers it in the background", async () => {
    const { smtp, mailer } = await smtpPair();
    const sender = mailSender({ mailer, policy: fast });
    const result = sender.enqueue(message());
    expect(result).toBeUndefined();
    expect(smtp.mails).toHaveLength(0);
    await sender.idle();
    expect(smtp.mails).toHaveLength(1);
    expect(sender.counts().sent).toBe(1);
  });

  it("never mails a suppressed address", async () => {
    const { smtp, mailer } = await smtpPair();
    const suppressed = memorySuppressionList();
    suppressed.add([{ address: "gone@example.org", reason: "bounce", at: "2026-12-01T00:00:00.000Z" }]);
    const sender = mailSender({ mailer, policy: fast, isSuppressed: suppressed.isSuppressed });
    expect(await sender.send(message(" Gone@Example.org "))).toEqual({ status: "suppressed" });
    expect(await sender.send(message("kept@example.org"))).toMatchObject({ status: "sent" });
    expect(smtp.mails.map((mail) => mail.envelope.to)).toEqual([["kept@example.org"]]);
    expect(sender.counts()).toMatchObject({ sent: 1, suppressed: 1 });
  });
});
