import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axeViolations } from "../support/browser.ts";
import { readerToken, ssoSecretEnv, ssoSecrets } from "../support/sso.ts";
import { post, roomySite, soon, startWidgetRig, unique, widgetOf } from "./widget-fixture.ts";

/**
 * axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) against every state of the widget and of the review
 * page that exists, each reached the way a reader or moderator reaches it. A new state is one line in
 * `widgetStates` or `reviewStates`: a name and how to get there.
 */

const key = "test-moderator-key";
let rig: Awaited<ReturnType<typeof startWidgetRig>>;

const longArticle = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long article</title></head><body>
<main><h1>A long article</h1><div style="height:400vh"><p>Story text</p></div>
<div id="comments" data-site="demo" data-thread="axe-lazy"></div></main><script src="/embed.js" async></script></body></html>`;

beforeAll(async () => {
  // The queued and banned reader writes from an address of their own, so the ban leaves the browser's posts alone.
  rig = await startWidgetRig({
    pages: { long: longArticle },
    env: { TRUSTED_PROXY_HOPS: "1", ...ssoSecrets },
    // "live" checks for new comments every second (the new-comments button state).
    sites: (port) => [
      roomySite(port, { auth: { ssoSecretEnv } }),
      roomySite(port, { id: "live", liveUpdateSeconds: 1 }),
      roomySite(port, { id: "nudge", moderation: { nudge: true, suspectWords: ["scandal"] } }),
    ],
  });
  const root = await rig.seed("axe-replies", "A first comment with a [link](https://example.com) and `code`.", { author: { name: "First Reader", url: "https://example.com" } });
  const reply = await rig.seed("axe-replies", "A reply to it.", { parentId: root.id, author: { name: "زهرا" } });
  await rig.seed("axe-replies", "A reply to the reply.", { parentId: reply.id });
  // For the review page: one comment waiting, one decided (the audit log), one author banned.
  const waiting = (score: string, body: string) =>
    fetch(`${rig.base}/v1/sites/demo/threads/axe-review/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
      body: JSON.stringify({ author: { name: "Queued Reader" }, body, captchaToken: `test:${score}` }),
    }).then(async (response) => ((await response.json()) as { comment: { id: string } }).comment.id);
  await waiting("0.5", "Waiting for a moderator, with a https://example.com link.");
  const decided = await waiting("0.5", "Decided already.");
  const mod = (method: string, path: string, body: unknown) =>
    fetch(`${rig.base}/v1/mod/sites/demo${path}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  await mod("POST", `/threads/axe-review/comments/${decided}/decision`, { action: "reject", note: "Off topic" });
  await mod("POST", "/bans", { threadId: "axe-review", commentId: decided, reason: "Repeated abuse", days: 7 });
});
afterAll(async () => rig?.close());

/** Opens the widget on a plain host page (`query` sets its data- attributes), waits until it is ready, then does `then`. */
const widgetState =
  (query: string, then?: (widget: ReturnType<typeof widgetOf>, page: Page) => Promise<unknown>) =>
  async (): Promise<Page> => {
    const { page, widget } = await rig.open(`/test/host?site=demo&${query}`);
    await page.locator("#comments form").waitFor();
    await then?.(widget, page);
    return page;
  };

const widgetStates: [name: string, reach: () => Promise<Page>][] = [
  ["empty thread", widgetState("thread=axe-empty")],
  ["thread with nested replies and a linked author", widgetState("thread=axe-replies")],
  ["comment awaiting moderation, shown to its author", widgetState("thread=axe-pending", async (w) => {
    await post(w, { body: unique("Waiting for a moderator"), score: "0.5" });
    await soon(() => w.status.textContent()).toBe("Your comment is awaiting moderation.");
  })],
  ["nudge: a warning about the language, with its reasons, Edit and Submit for review", async () => {
    const { page, widget } = await rig.open("/test/host?site=nudge&thread=axe-nudge");
    await post(widget, { body: unique("What a scandal") });
    await page.getByRole("button", { name: "Submit for review" }).waitFor();
    return page;
  }],
  ["errors after an empty submit", widgetState("thread=axe-errors", async (w, page) => {
    await w.submit.click();
    await page.getByText("Please enter your comment!").waitFor();
  })],
  ["reply form open under a comment", widgetState("thread=axe-replies", (_w, page) => page.getByRole("button", { name: "Reply" }).first().click())],
  ["signed in by the host site, with a staff comment", widgetState("thread=axe-signed-in", async (w, page) => {
    const token = await readerToken({ name: "Staff Writer", role: "staff" });
    await page.locator("#comments").evaluate((host, t) => (host as HTMLElement & { login(token: string): void }).login(t), token);
    await w.body.fill(unique("A signed-in comment"));
    await w.submit.click();
    await soon(() => w.status.textContent()).toBe("Your comment has been published.");
  })],
  ["edit mode, with the window's countdown", widgetState("thread=axe-edit", async (w) => {
    const body = unique("A comment to edit");
    await post(w, { body });
    await w.comment(body).getByRole("button", { name: "Edit" }).click();
    await w.comment(body).getByLabel("Edit your comment").waitFor();
  })],
  ["dark theme", widgetState("thread=axe-replies&theme=dark")],
  ["dark theme with errors", widgetState("thread=axe-errors-dark&theme=dark", (w) => w.submit.click().then(() => w.body.page().getByText("Please enter your comment!").waitFor()))],
  ["right to left: Persian", widgetState("thread=axe-replies&lang=fa")],
  ["right to left: Pashto, dark", widgetState("thread=axe-replies&lang=ps&theme=dark")],
  ["right to left: Arabic", widgetState("thread=axe-replies&lang=ar")],
  ["sort menu, newest first chosen", widgetState("thread=axe-replies", (_w, page) => page.getByLabel("Sort by").selectOption("newest"))],
  ["new-comments button", async () => {
    const { page } = await rig.open("/test/host?site=live&thread=axe-live");
    await page.locator("#comments form").waitFor();
    await rig.seed("axe-live", unique("A comment that arrives while the reader reads."), {}, "live");
    await page.getByRole("button", { name: "1 new comment" }).waitFor();
    return page;
  }],
  ["loading placeholder before the reader scrolls near", async () => {
    const { page } = await rig.open("/test/long");
    await soon(() => page.evaluate(() => document.getElementById("comments")?.shadowRoot?.querySelector("[aria-busy=true]") != null)).toBe(true);
    return page;
  }],
];

/** Opens the review page (axe is injected inline, so the page's strict CSP is bypassed), signs in and opens `tab`. */
const reviewState =
  (tab: string | null, ready: (page: Page) => Promise<unknown>, options: { dark?: boolean } = {}) =>
  async (): Promise<Page> => {
    const { page } = await rig.open("/moderate", { bypassCSP: true, colorScheme: options.dark ? "dark" : "light" });
    if (tab !== null) {
      await page.getByLabel("Moderator key").fill(key);
      await page.keyboard.press("Enter");
      await page.getByRole("tab", { name: tab }).click();
    }
    await ready(page);
    return page;
  };

const reviewStates: [name: string, reach: () => Promise<Page>][] = [
  ["sign-in", reviewState(null, (page) => page.getByLabel("Moderator key").waitFor())],
  ["queue", reviewState("Queue", (page) => page.locator(".item").first().waitFor())],
  ["queue, dark", reviewState("Queue", (page) => page.locator(".item").first().waitFor(), { dark: true })],
  ["audit log", reviewState("Audit log", (page) => page.locator("#cw-panel-audit tbody tr").first().waitFor())],
  ["bans", reviewState("Bans", (page) => page.locator("#cw-panel-bans tbody tr").first().waitFor())],
  ["queue with a bulk selection", reviewState("Queue", async (page) => {
    await page.locator(".item").first().waitFor();
    await page.getByLabel("Select all shown").check();
    await page.locator("#cw-picked").getByText("selected").waitFor();
  })],
  ["ban form with the purge option", reviewState("Queue", async (page) => {
    await page.locator(".item").first().getByRole("button", { name: /Ban author/ }).click();
    await page.locator("#cw-ban-purge").waitFor();
  })],
  ["all comments by an author", reviewState("Queue", async (page) => {
    await page.locator(".item").first().getByRole("button", { name: /All by author/ }).click();
    await page.locator(".author-comment").first().waitFor();
  })],
  ["keys, a new key shown once", reviewState("Keys", async (page) => {
    await page.getByLabel("Name", { exact: true }).fill(`axe ${Date.now()}`);
    // This rig serves several sites: the new key is for the demo site.
    await page.locator("#cw-key-site-demo").check();
    await page.getByRole("button", { name: "Create key" }).click();
    await page.locator("#cw-new-key-value").waitFor();
  })],
  ["stats", reviewState("Stats", (page) => page.locator("#cw-panel-stats figure").first().waitFor())],
  ["stats, dark", reviewState("Stats", (page) => page.locator("#cw-panel-stats figure").first().waitFor(), { dark: true })],
  ["Persian, right to left", reviewState("Queue", async (page) => {
    await page.locator(".item").first().waitFor();
    await page.selectOption("#cw-lang", "fa");
    await page.locator("html[dir=rtl] .item").first().waitFor();
  })],
];

/** Reaching a state and running axe on a busy two-core machine: a generous limit, not a timing check. */
const perState = 180_000;

describe("accessibility: axe finds nothing (WCAG 2.2 AA)", () => {
  it.each(widgetStates)("widget: %s", async (_name, reach) => {
    expect(await axeViolations(await reach())).toEqual([]);
  }, perState);

  it.each(reviewStates)("review page: %s", async (_name, reach) => {
    expect(await axeViolations(await reach())).toEqual([]);
  }, perState);

  it("sees inside the widget's shadow root: a broken state is reported", async () => {
    const page = await widgetState("thread=axe-broken")();
    await page.locator("#comments").evaluate((host) => host.shadowRoot!.querySelector("#cw-body")!.removeAttribute("id"));
    expect((await axeViolations(page)).map((violation) => violation.id)).toContain("label");
  }, perState);
});
