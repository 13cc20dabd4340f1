import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { confirmationMail, devMailbox, devMailRoutes, newMailToken, type MailMessage } from "@comments/api/mail";
import { launchChromium, watchForTrouble } from "./support/browser.ts";
import { englishThread, mailSetup, persianThread } from "./support/smtp-mail-fixtures.ts";

const hostile: MailMessage = {
  to: "reader@example.org",
  from: "Comments <comments@news.example>",
  subject: `<img src=x onerror="alert('subject')">`,
  text: `</pre><script>alert('text')</script>`,
  html: `<p id="inside">quoted</p><script>alert('html'); parent.document.title = 'taken';</script><img src="x" onerror="alert('img')">`,
  headers: { "X-Note": `"><script>alert('header')</script>` },
  language: "en",
  direction: "ltr",
  kind: "notification",
};

const confirmation = (to: string, language = "en") =>
  confirmationMail(mailSetup, { to, language, kind: "replies", thread: language === "fa" ? persianThread : englishThread, confirmToken: newMailToken("confirm").token, unsubscribeToken: newMailToken("unsubscribe").token });

describe("the dev mailbox", () => {
  it("keeps the last mails it was given, newest first, and drops older ones", async () => {
    const mailbox = devMailbox({ capacity: 3, now: () => new Date("2026-12-02T08:00:00.000Z") });
    for (const to of ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]) {
      expect(await mailbox.send(confirmation(to))).toEqual({ messageId: expect.stringMatching(/^dev-\d+$/) });
    }
    expect(mailbox.list().map((kept) => [kept.id, kept.message.to])).toEqual([
      [4, "d@example.org"],
      [3, "c@example.org"],
      [2, "b@example.org"],
    ]);
    expect(mailbox.get(1)).toBeUndefined();
    expect(mailbox.get(4)?.receivedAt).toBe("2026-12-02T08:00:00.000Z");
    mailbox.clear();
    expect(mailbox.list()).toEqual([]);
  });

  it("serves a page listing every kept mail, escaped, with each HTML part in a sandboxed frame and no script allowed", async () => {
    const mailbox = devMailbox();
    await mailbox.send(hostile);
    await mailbox.send(confirmation("reader@example.org", "fa"));
    const app = devMailRoutes(mailbox);
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src/);
    const page = await res.text();
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(&#39;subject&#39;)&quot;&gt;");
    expect(page.match(/<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/g)).toHaveLength(2);
    expect(page).toContain('<pre dir="rtl" lang="fa">');
    expect(page.indexOf("mail-2")).toBeLessThan(page.indexOf("mail-1"));
  });

  it("answers one kept mail as JSON, and 404 for one it no longer has", async () => {
    const mailbox = devMailbox();
    await mailbox.send(confirmation("reader@example.org"));
    const app = devMailRoutes(mailbox);
    const found = await app.request("/1.json");
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ id: 1, message: { to: "reader@example.org", kind: "confirmation" } });
    const missing = await app.request("/7.json");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "No such mail in the dev mailbox." } });
  });
});

describe("the dev mailbox page in Chromium", () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  const mailbox = devMailbox();

  beforeAll(async () => {
    await mailbox.send(hostile);
    await mailbox.send(confirmation("reader@example.org"));
    const app = new Hono().route("/dev/mail", devMailRoutes(mailbox));
    origin = await new Promise<string>((done) => {
      server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => done(`http://127.0.0.1:${info.port}`));
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it("shows each mail as it would look, runs nothing a mail carries, and keeps its links clickable", async () => {
    const page = await browser.newPage();
    const trouble = watchForTrouble(page);
    await page.goto(`${origin}/dev/mail`);
    await page.getByRole("heading", { name: "Confirm your email for comments on Kabul Daily" }).waitFor();
    const confirmFrame = page.frameLocator('iframe[title="HTML part of mail 2"]');
    const link = confirmFrame.getByRole("link", { name: "Confirm my email" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/^https:\/\/comments\.news\.example\/v1\/sites\/demo\/subscriptions\/confirm\?token=[A-Za-z0-9_-]{43}$/);
    await page.frameLocator('iframe[title="HTML part of mail 1"]').locator("#inside").waitFor();
    expect(trouble.dialogs).toEqual([]);
    expect(await page.title()).toBe("Dev mailbox (2)");
    await page.close();
  });
});
