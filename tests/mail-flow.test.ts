import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalServer } from "@comments/local";
import { asModerator, commentBody, site, startApiServer } from "./support/harness.ts";
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from "./support/smtp-server.ts";

/**
 * Email end to end over HTTP (DESIGN §6.5): the local server sends through a real SMTP server, and what arrives
 * is read back with a real parser. The mail queue is awaited (`mail.queue.idle()`), never slept on.
 */

let smtp: TestSmtpServer;
let server: LocalServer;
/** The server's clock runs this far ahead of the wall clock (gathering windows are crossed by moving it). */
let clockOffsetMs = 0;
const logLines: string[] = [];

const thread = "news/budget-vote";
const ann = "Ann.Reader@example.org";
const bob = "bob@example.net";

beforeAll(async () => {
  smtp = await startSmtpServer();
  const originalError = console.error;
  console.error = (...args: unknown[]) => {
    logLines.push(args.map(String).join(" "));
    originalError(...args);
  };
  server = await startApiServer({
    env: { SMTP_URL: smtp.url, MAIL_FROM: "Comments <comments@news.example>" },
    sites: [
      site({
        id: "demo",
        name: "Kabul Daily",
        rateLimit: { perMinute: 500, perHour: 500 },
        moderation: { suspectWords: ["casino"], bannedWords: ["viagra"], duplicateWindowMinutes: 0 },
        notify: { gatherMinutes: 10, moderatorDigest: { emails: ["desk@news.example"], every: "hour" } },
        contactUrl: "https://news.example/contact",
      }),
    ],
    deps: { now: () => new Date(Date.now() + clockOffsetMs) },
    mail: { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 }, tickMs: 3_600_000 },
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

/** Posts a comment to the thread; returns the answer's status and comment id. */
async function post(body: Record<string, unknown>, threadId = thread) {
  const res = await fetch(`${server.url}/v1/sites/demo/threads/${encodeURIComponent(threadId)}/comments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(commentBody(body)),
  });
  const answer = (await res.json()) as { comment?: { id: string }; error?: { code: string; fields?: Record<string, string> } };
  return { status: res.status, id: answer.comment?.id ?? "", answer };
}

/** Every mail that arrived for `address`, after the queue has finished. */
async function mailsTo(address: string): Promise<ReceivedMail[]> {
  await server.mail.queue.idle();
  return smtp.mails.filter((mail) => mail.envelope.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

function header(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(name.length + 1).replace(/\r?\n[ \t]+/g, " ").trim();
}

/** The link of a mail's text part that goes to `path`. */
function linkTo(mail: ReceivedMail, path: string): string {
  const found = [...(mail.parsed.text ?? "").matchAll(/https?:\/\/\S+/g)].map((m) => m[0]).find((url) => new URL(url).pathname.endsWith(path));
  if (!found) throw new Error(`no ${path} link in: ${mail.parsed.text}`);
  return found;
}

describe("email over HTTP with a real SMTP server", () => {
  let annCommentId = "";
  let unsubscribeUrl = "";

  it("refuses notify without an email (400 validation_failed, field notify)", async () => {
    const { status, answer } = await post({ notify: "replies" });
    expect(status).toBe(400);
    expect(answer.error?.code).toBe("validation_failed");
    expect(Object.keys(answer.error?.fields ?? {})).toEqual(["notify"]);
    const wrongKind = await post({ author: { name: "Ann", email: ann }, notify: "everything" });
    expect(wrongKind.status).toBe(400);
    expect(Object.keys(wrongKind.answer.error?.fields ?? {})).toEqual(["notify"]);
  });

  it("sends one confirmation mail with one-click unsubscribe headers, and confirms on the linked page", async () => {
    const first = await post({ author: { name: "Ann Reader", email: ann }, body: "The budget leaves out the schools.", notify: "replies" });
    expect(first.status).toBe(201);
    annCommentId = first.id;
    expect(JSON.stringify(first.answer)).not.toContain("example.org");

    const [confirmation, ...more] = await mailsTo(ann);
    expect(more).toEqual([]);
    expect(confirmation!.parsed.subject).toContain("Kabul Daily");
    expect(header(confirmation!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(confirmation!, "List-Unsubscribe")).toMatch(/^<http:\/\/localhost:\d+\/v1\/sites\/demo\/subscriptions\/unsubscribe\?token=[A-Za-z0-9_-]{43}>$/);
    expect(confirmation!.parsed.html).toBeTruthy();

    // Before confirming, a reply mails nobody.
    await post({ author: { name: "Early Bird" }, body: "Too early to notify.", parentId: annCommentId });
    expect(await mailsTo(ann)).toHaveLength(1);

    const confirmUrl = linkTo(confirmation!, "/subscriptions/confirm");
    expect(decodeURIComponent(confirmUrl)).not.toContain("@");
    const page = await fetch(confirmUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Subscription confirmed");
    const again = await fetch(confirmUrl);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Already confirmed");
  });

  it("mails the parent's author about a published reply, never the reply's own author", async () => {
    const reply = await post({ author: { name: "Bob Writer", email: bob }, body: "Schools got a separate bill last week.", parentId: annCommentId });
    expect(reply.status).toBe(201);
    const mails = await mailsTo(ann);
    expect(mails).toHaveLength(2);
    const notification = mails[1]!;
    expect(notification.parsed.text).toContain("Schools got a separate bill last week.");
    expect(notification.parsed.text).toContain("Bob Writer");
    expect(notification.parsed.text).not.toContain(bob);
    expect(header(notification, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    unsubscribeUrl = header(notification, "List-Unsubscribe")!.slice(1, -1);
    expect(await mailsTo(bob)).toEqual([]);
  });

  it("gathers a burst of replies into one mail per window, sent when the window ends", async () => {
    const before = (await mailsTo(ann)).length;
    for (let i = 0; i < 50; i++) {
      const reply = await post({ author: { name: `Replier ${i}` }, body: `Burst reply number ${i}.`, parentId: annCommentId });
      expect(reply.status).toBe(201);
    }
    expect(await mailsTo(ann)).toHaveLength(before);

    await server.mail.queue.tick();
    expect(await mailsTo(ann)).toHaveLength(before);

    clockOffsetMs += 11 * 60_000;
    await server.mail.queue.tick();
    const mails = await mailsTo(ann);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.parsed.subject).toContain("50");
  });

  it("mails nobody about pending or spam replies", async () => {
    const before = (await mailsTo(ann)).length;
    clockOffsetMs += 11 * 60_000;
    const pending = await post({ author: { name: "Gambler" }, body: "Try the casino tonight.", parentId: annCommentId });
    expect(pending.status).toBe(202);
    const spam = await post({ author: { name: "Spammer" }, body: "Cheap viagra here.", parentId: annCommentId });
    expect(spam.status).toBe(202);
    await server.mail.queue.tick();
    expect(await mailsTo(ann)).toHaveLength(before);
  });

  it("sends the moderator digest while the queue is not empty, once per period", async () => {
    await server.mail.queue.tick();
    const digests = await mailsTo("desk@news.example");
    expect(digests).toHaveLength(1);
    expect(digests[0]!.parsed.subject).toContain("1 comment is waiting for review");
    expect(digests[0]!.parsed.text).toContain("suspect words: 1");
    expect(digests[0]!.parsed.text).toContain("/moderate");
    await server.mail.queue.tick();
    expect(await mailsTo("desk@news.example")).toHaveLength(1);
  });

  it("explains a rejection to its author with the site's contact address, never a spam decision", async () => {
    const carol = "carol@example.com";
    const queued = await post({ author: { name: "Carol", email: carol }, body: "My casino review of the budget." });
    expect(queued.status).toBe(202);
    const decide = (id: string, action: string) =>
      fetch(`${server.url}/v1/mod/sites/demo/threads/${encodeURIComponent(thread)}/comments/${id}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json", ...asModerator() },
        body: JSON.stringify({ action }),
      });
    expect((await decide(queued.id, "reject")).status).toBe(200);
    const [statement, ...more] = await mailsTo(carol);
    expect(more).toEqual([]);
    expect(statement!.parsed.text).toContain("My casino review of the budget.");
    expect(statement!.parsed.text).toContain("https://news.example/contact");
    expect(header(statement!, "List-Unsubscribe")).toBeUndefined();

    const dave = "dave@example.com";
    const other = await post({ author: { name: "Dave", email: dave }, body: "A casino for every school." });
    expect((await decide(other.id, "spam")).status).toBe(200);
    expect(await mailsTo(dave)).toEqual([]);
  });

  it("mails after bulk decisions too: an approved reply reaches the subscriber, a rejection its author", async () => {
    const bulkThread = "news/bulk-approvals";
    const erin = "erin@example.com";
    const frank = "frank@example.com";
    const subscribed = await post({ author: { name: "Erin", email: erin }, body: "Who pays for the new bridge?", notify: "thread" }, bulkThread);
    expect(subscribed.status).toBe(201);
    const [confirmation] = await mailsTo(erin);
    expect((await fetch(linkTo(confirmation!, "/subscriptions/confirm"))).status).toBe(200);

    const held = await post({ author: { name: "Gina" }, body: "The casino tax pays for the bridge.", parentId: subscribed.id }, bulkThread);
    const doomed = await post({ author: { name: "Frank", email: frank }, body: "A casino bridge, naturally." }, bulkThread);
    expect([held.status, doomed.status]).toEqual([202, 202]);
    const threadPage = () => fetch(`${server.url}/v1/sites/demo/threads/${encodeURIComponent(bulkThread)}/comments`).then((res) => res.text());
    // Read before the decision, so the page is in the read cache.
    expect(await threadPage()).not.toContain("The casino tax pays for the bridge.");
    expect(await mailsTo(erin)).toHaveLength(1);

    const bulk = (action: string, commentId: string) =>
      fetch(`${server.url}/v1/mod/sites/demo/decisions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...asModerator() },
        body: JSON.stringify({ action, items: [{ threadId: bulkThread, commentId }] }),
      });
    expect((await bulk("approve", held.id)).status).toBe(200);
    expect((await bulk("reject", doomed.id)).status).toBe(200);

    const erinMails = await mailsTo(erin);
    expect(erinMails).toHaveLength(2);
    expect(erinMails[1]!.parsed.text).toContain("The casino tax pays for the bridge.");
    const [statement, ...more] = await mailsTo(frank);
    expect(more).toEqual([]);
    expect(statement!.parsed.text).toContain("A casino bridge, naturally.");
    // The decision dropped the thread's cached page: the approved reply shows at once.
    expect(await threadPage()).toContain("The casino tax pays for the bridge.");
  });

  it("shows an unsubscribe page whose GET changes nothing; POST unsubscribes at once, twice harmlessly", async () => {
    const page = await fetch(unsubscribeUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<form method="post"/);
    expect(html).toContain("Unsubscribe</button>");

    // Still subscribed after the GET: the next reply (a new window) is mailed.
    clockOffsetMs += 11 * 60_000;
    const before = (await mailsTo(ann)).length;
    await post({ author: { name: "Still Here" }, body: "Another angle on it.", parentId: annCommentId });
    expect(await mailsTo(ann)).toHaveLength(before + 1);

    const oneClick = await fetch(unsubscribeUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain("You are unsubscribed");
    const twice = await fetch(unsubscribeUrl, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(twice.status).toBe(200);

    clockOffsetMs += 11 * 60_000;
    await post({ author: { name: "After" }, body: "Nobody should hear about this.", parentId: annCommentId });
    await server.mail.queue.tick();
    expect(await mailsTo(ann)).toHaveLength(before + 1);

    const forged = await fetch(unsubscribeUrl.replace(/token=[^&]+/, `token=${"A".repeat(43)}`), { method: "POST" });
    expect(forged.status).toBe(404);
  });

  it("caps confirmation mails at 3 per address per day", async () => {
    const eve = "eve@example.com";
    for (let i = 0; i < 5; i++) {
      const res = await post({ author: { name: "Eve" }, body: `Following thread ${i}.`, notify: "thread" } as Record<string, unknown>, `cap/${i}`);
      expect(res.status).toBe(400);
      const ok = await post({ author: { name: "Eve", email: eve }, body: `Following thread ${i}.`, notify: "thread" }, `cap/${i}`);
      expect(ok.status).toBe(201);
    }
    expect(await mailsTo(eve)).toHaveLength(3);
  });

  it("writes the mail in the comment's language: a Persian comment's confirmation is Persian, right to left", async () => {
    const farid = "farid@example.com";
    const res = await post({ author: { name: "فرید", email: farid }, body: "این بودجه برای مدرسه‌ها چه دارد؟", notify: "thread" }, "fa/budget");
    expect(res.status).toBe(201);
    const [confirmation] = await mailsTo(farid);
    expect(confirmation!.parsed.subject).toContain("ایمیل خود را");
    expect(header(confirmation!, "Content-Language")).toBe("fa");
    expect(confirmation!.parsed.html).toContain('dir="rtl"');
  });

  it("never puts an address in a public answer, a thread page or a log line", async () => {
    const page = await fetch(`${server.url}/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments?limit=100`);
    const text = await page.text();
    for (const address of [ann, bob, "carol@example.com"]) {
      expect(text.toLowerCase()).not.toContain(address.toLowerCase());
      expect(logLines.join("\n").toLowerCase()).not.toContain(address.toLowerCase());
    }
    for (const mail of smtp.mails) {
      for (const url of (mail.parsed.text ?? "").match(/https?:\/\/\S+/g) ?? []) expect(decodeURIComponent(url)).not.toContain("@");
    }
  });
});
