import { describe, expect, it } from "vitest";
import {
  apiLink,
  confirmationMail,
  derivedMailToken,
  digestMail,
  mailLanguages,
  mailTokenHash,
  mailWordsFor,
  newMailToken,
  notificationMail,
  reasonsForAuthor,
  statementMail,
  summarizeQueue,
  type MailMessage,
} from "@comments/api/mail";
import { englishThread, linksOf, mailSetup, persianThread } from "./support/smtp-mail-fixtures.ts";

const token = () => newMailToken("unsubscribe").token;

/** Every kind of mail, in both languages, for the rules that hold for all. */
function everyMail(): MailMessage[] {
  const mails: MailMessage[] = [];
  for (const [language, thread] of [["en", englishThread], ["fa", persianThread]] as const) {
    mails.push(confirmationMail(mailSetup, { to: "r@example.org", language, kind: "thread", thread, confirmToken: newMailToken("confirm").token, unsubscribeToken: token() }));
    mails.push(notificationMail(mailSetup, { to: "r@example.org", language, kind: "replies", thread, comments: [{ id: "c1", authorName: "Ann", body: "Hi", createdAt: "2026-12-02T08:00:00.000Z" }], unsubscribeToken: token() }));
    mails.push(statementMail(mailSetup, { to: "r@example.org", language, thread, comment: { body: "x", reasons: ["toxicity"], details: ["toxicity 0.91 (INSULT 0.93)"], flags: 2 }, decidedAt: "2026-12-02T08:00:00.000Z", contactUrl: "https://news.example/contact" }));
    mails.push(digestMail(mailSetup, { to: "desk@news.example", language, siteName: thread.siteName, every: "day", summary: summarizeQueue([{ queuedAt: "2026-12-02T07:00:00.000Z", createdAt: "2026-12-02T07:00:00.000Z", reasons: ["toxicity"] }]), reviewUrl: "https://comments.news.example/review", now: new Date("2026-12-02T09:00:00.000Z") }));
  }
  return mails;
}

describe("mails readers can trust", () => {
  it("has a text and an HTML part in the mail's language and direction, absolute https links and no address in any URL", () => {
    for (const mail of everyMail()) {
      expect(mail.text.trim()).not.toBe("");
      expect(mail.html).toContain(`<html lang="${mail.language}" dir="${mail.language === "fa" ? "rtl" : "ltr"}">`);
      expect(mail.direction).toBe(mail.language === "fa" ? "rtl" : "ltr");
      for (const link of linksOf(mail)) {
        expect(new URL(link).protocol).toBe("https:");
        expect(decodeURIComponent(link)).not.toContain("@");
      }
      expect(mail.html).not.toMatch(/<img|<script|<link|src=|url\(/i);
    }
  });

  it("carries one-click unsubscribe headers exactly on the mails that belong to a subscription", () => {
    const withHeaders = everyMail().filter((mail) => "List-Unsubscribe" in mail.headers).map((mail) => `${mail.kind}/${mail.language}`);
    expect(withHeaders).toEqual(["confirmation/en", "notification/en", "confirmation/fa", "notification/fa"]);
    for (const mail of everyMail().filter((m) => "List-Unsubscribe" in m.headers)) {
      expect(mail.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/comments\.news\.example\/v1\/sites\/demo\/subscriptions\/unsubscribe\?token=[A-Za-z0-9_-]{43}>$/);
      expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    }
  });

  it("shows what readers wrote as text, never as markup", () => {
    const mail = notificationMail(mailSetup, {
      to: "r@example.org",
      language: "en",
      kind: "thread",
      thread: { ...englishThread, title: 'Budget <img src="https://tracker.example/p.gif">' },
      comments: [{ id: "c1", authorName: "<b>Mallory</b>", body: `<script>alert("hi")</script> <a href="https://evil.example">click</a>`, createdAt: "2026-12-02T08:00:00.000Z" }],
      unsubscribeToken: token(),
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain('href="https://evil.example"');
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;");
    expect(mail.html).toContain("&lt;b&gt;Mallory&lt;/b&gt; wrote:");
    expect(mail.text).toContain('> <script>alert("hi")</script>');
  });

  it("quotes at most five gathered comments, each cut to its start, and links to the first of them", () => {
    const comments = Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, authorName: `Reader ${i}`, body: `${"long ".repeat(200)}end ${i}`, createdAt: `2026-12-02T08:0${i}:00.000Z` }));
    const mail = notificationMail(mailSetup, { to: "r@example.org", language: "en", kind: "thread", thread: englishThread, comments, unsubscribeToken: token() });
    expect(mail.subject).toBe("7 new comments on “Parliament votes on the budget”");
    expect(mail.text).toContain("7 new comments were posted");
    expect(mail.text.match(/ wrote:/g)).toHaveLength(5);
    expect(mail.text).not.toContain("end 0");
    expect(mail.text).toContain("…");
    expect(mail.text).toContain("Read the conversation: https://news.example/2026/12/budget-vote?ref=home#comment-c0");
  });

  it("links to the API's permalink when the thread's page is unknown, and names the thread after the site", () => {
    const thread = { ...englishThread, url: null, title: null };
    const mail = notificationMail(mailSetup, { to: "r@example.org", language: "en", kind: "thread", thread, comments: [{ id: "01J0ABC", authorName: "A", body: "b", createdAt: "2026-12-02T08:00:00.000Z" }], unsubscribeToken: token() });
    expect(mail.subject).toBe("New comment on “Kabul Daily”");
    expect(mail.text).toContain("https://comments.news.example/v1/sites/demo/comments/01J0ABC");
  });

  it("never links to an article address that carries an email address, but to the API's permalink", () => {
    for (const url of ["https://news.example/a?from=ann@example.org", "https://news.example/a?from=ann%40example.org"]) {
      const mail = notificationMail(mailSetup, { to: "r@example.org", language: "en", kind: "thread", thread: { ...englishThread, url }, comments: [{ id: "c9", authorName: "A", body: "b", createdAt: "2026-12-02T08:00:00.000Z" }], unsubscribeToken: token() });
      expect(mail.text).toContain("Read the conversation: https://comments.news.example/v1/sites/demo/comments/c9");
      expect(mail.text + mail.html).not.toContain("ann");
    }
  });

  it("writes Persian numbers and dates in Persian", () => {
    const summary = summarizeQueue(Array.from({ length: 12 }, () => ({ queuedAt: "2026-12-01T09:00:00.000Z", createdAt: "2026-12-01T09:00:00.000Z", reasons: ["first_comment"] })));
    const mail = digestMail(mailSetup, { to: "desk@news.example", language: "fa", siteName: "کابل امروز", every: "hour", summary, reviewUrl: "https://comments.news.example/review", now: new Date("2026-12-02T09:00:00.000Z") });
    expect(mail.subject).toBe("۱۲ دیدگاه در کابل امروز در انتظار بررسی است");
    expect(mail.text).toContain("(۲۴ ساعت)");
    expect(mail.text).toContain("نخستین دیدگاه: ۱۲");
    expect(mail.text).toContain("هر ساعت");
  });

  it("falls back to English, left to right, for a language without a table", () => {
    expect(mailLanguages).toEqual(["en", "fa"]);
    expect(mailWordsFor("de-AT").words.language).toBe("en");
    expect(mailWordsFor("fa-IR")).toMatchObject({ direction: "rtl", words: { language: "fa" } });
    const mail = confirmationMail(mailSetup, { to: "r@example.org", language: "de", kind: "replies", thread: englishThread, confirmToken: token(), unsubscribeToken: token() });
    expect(mail).toMatchObject({ language: "en", direction: "ltr", subject: "Confirm your email for comments on Kabul Daily" });
  });
});

describe("the statement of reasons in plain words", () => {
  const { words } = mailWordsFor("en");

  it("explains each moderation reason, with the detail recorded when the comment was posted where it is specific, and counts reader reports", () => {
    const lines = reasonsForAuthor({ body: "", reasons: ["too_many_links", "first_comment", "reader_flags"], details: ["4 links (more than 2)", "first comment by this author on the site", "flagged"], flags: 3 }, words);
    expect(lines).toEqual([
      "The comment has more links than the site allows (4 links (more than 2))",
      "First comments on this site are reviewed before they are published",
      "Readers reported the comment (3 times)",
    ]);
    expect(reasonsForAuthor({ body: "", reasons: ["external_hook", "toxicity"], details: ["external hook: off-topic advertising", "toxicity 0.83 (INSULT 0.91)"], flags: 0 }, words)).toEqual([
      "The site's moderation service held the comment for review (external hook: off-topic advertising)",
      "An automatic check found the language might be hurtful (toxicity 0.83 (INSULT 0.91))",
    ]);
  });

  it("says an outside check could not run, without its internal error, instead of blaming the comment", () => {
    const lines = reasonsForAuthor(
      { body: "", reasons: ["captcha_unavailable", "toxicity", "external_hook"], details: ["captcha provider unavailable (timeout)", "toxicity check unavailable (ThrottlingException, HTTP 400)", "external hook unavailable (HTTP 502)"], flags: 0 },
      words,
    );
    expect(lines).toEqual(["Our automatic check against automated posting could not run, so a moderator looked at it", "An automatic check could not run, so a moderator looked at the comment"]);
    expect(lines.join(" ")).not.toMatch(/Throttling|HTTP|timeout/);
  });

  it("gives the moderator's judgement as the reason when no check held the comment", () => {
    expect(reasonsForAuthor({ body: "", reasons: [], details: [], flags: 0 }, words)).toEqual(["A moderator found that the comment does not follow the site's rules"]);
  });

  it("quotes the start of the comment, and says whom to contact when the site has no appeal address", () => {
    const mail = statementMail(mailSetup, { to: "a@example.org", language: "fa", thread: persianThread, comment: { body: "متن ".repeat(200), reasons: ["suspect_words"], details: ["suspect word: x"], flags: 0 }, decidedAt: "2026-12-02T08:00:00.000Z", contactUrl: null });
    expect(mail.subject).toBe("دیدگاه شما در کابل امروز منتشر نشد");
    expect(mail.text).toContain("- دیدگاه واژه‌هایی دارد که سایت پیش از انتشار بررسی می‌کند (suspect word: x)");
    expect(mail.text).toContain("با سردبیران سایت تماس بگیرید");
    expect(mail.text).toMatch(/> (متن ){50,}.*…/);
    expect(linksOf(mail)).toEqual([]);
  });
});

describe("mail tokens", () => {
  it("are 256-bit, URL-safe, never repeated, and stored only as a hash", () => {
    const issued = Array.from({ length: 100 }, () => newMailToken("confirm"));
    expect(new Set(issued.map((t) => t.token)).size).toBe(100);
    for (const { token: value, hash } of issued) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(value, "base64url")).toHaveLength(32);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).not.toContain(value);
      expect(mailTokenHash("confirm", value)).toBe(hash);
    }
  });

  it("are good for one purpose only", () => {
    const confirm = newMailToken("confirm");
    expect(mailTokenHash("unsubscribe", confirm.token)).not.toBe(confirm.hash);
  });

  it("refuse anything that cannot be a token without touching the store", () => {
    for (const bad of [undefined, null, "", "short", `${"a".repeat(43)}=`, "a".repeat(44), "reader@example.org"]) expect(mailTokenHash("confirm", bad)).toBeNull();
  });

  it("can be derived from a key and a subscription id, the same for every mail of that subscription", () => {
    const key = "mail-token-key-0123456789";
    const first = derivedMailToken(key, "unsubscribe", "sub-1");
    expect(derivedMailToken(key, "unsubscribe", "sub-1")).toEqual(first);
    expect(derivedMailToken(key, "unsubscribe", "sub-2").token).not.toBe(first.token);
    expect(derivedMailToken("another-key-0123456789", "unsubscribe", "sub-1").token).not.toBe(first.token);
    expect(mailTokenHash("unsubscribe", first.token)).toBe(first.hash);
    expect(first.token).not.toContain("sub-1");
    expect(() => derivedMailToken("short", "unsubscribe", "sub-1")).toThrow(/at least 16 characters/);
  });

  it("go into absolute links, under the API's base path when it has one", () => {
    expect(apiLink("https://example.org/comments/", "/v1/sites/demo/subscriptions/confirm", { token: "abc" })).toBe("https://example.org/comments/v1/sites/demo/subscriptions/confirm?token=abc");
    expect(() => apiLink("ftp://example.org", "/x")).toThrow(/http/);
  });
});
