import { Hono } from "hono";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { demoSite, type SiteConfigInput } from "@comments/core";
import { freePort } from "../../packages/local/src/dynamodb-local.ts";
import { localRoutes } from "../../packages/local/src/routes.ts";
import type { LocalServer } from "../../packages/local/src/server.ts";
import { eventually, launchChromium, locatorTimeoutMs, startTestServer, useBrowserTestLimits, watchForTrouble } from "../support/browser.ts";

// Every widget test file imports this fixture: generous limits for a busy machine.
useBrowserTestLimits();

/** The demo site with room for many posts from one test IP. */
export function roomySite(port: number, overrides: Partial<SiteConfigInput> = {}): SiteConfigInput {
  return { ...demoSite(port), rateLimit: { perMinute: 1000, perHour: 1000 }, ...overrides };
}

/** Options for {@link startWidgetRig}. */
export interface RigOptions {
  /** Sites for the server (given its port); default: {@link roomySite}. */
  sites?: (port: number) => SiteConfigInput[];
  /** Extra host pages served at `/test/<name>`. */
  pages?: Record<string, string>;
  env?: Record<string, string>;
}

/** A host page embedding the widget with the given markup (and optional extra `<head>` content). */
export function hostPage(body: string, head = "", lang = "en"): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Host</title>${head}</head><body>${body}<script src="/embed.js" async></script></body></html>`;
}

/**
 * `/test/host?site=demo&thread=t1&lang=fa…`: a plain host page whose `#comments` element gets every query
 * parameter as a `data-` attribute.
 */
const queryHostPage = hostPage(`<h1>Host page</h1><p id="probe">Host text</p>
<script>
  const host = document.createElement("div");
  host.id = "comments";
  for (const [name, value] of new URLSearchParams(location.search)) host.setAttribute("data-" + name, value);
  document.body.append(host);
</script>`);

/** The real local server (API, widget, demo pages, plus test host pages) and one Chromium for a test file. */
export async function startWidgetRig(options: RigOptions = {}) {
  const port = await freePort();
  const pages = new Hono();
  pages.get("/test/host", (c) => c.html(queryHostPage));
  for (const [name, html] of Object.entries(options.pages ?? {})) pages.get(`/test/${name}`, (c) => c.html(html));
  const server: LocalServer = await startTestServer({
    port,
    sites: (options.sites ?? ((p) => [roomySite(p)]))(port),
    env: options.env ?? {},
    routes: [...(await localRoutes()), pages],
  });
  const browser: Browser = await launchChromium();
  const base = `http://127.0.0.1:${port}`;
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    base,
    /** A fresh browser profile (own localStorage) with a page and its trouble log. */
    async open(path: string, contextOptions: Parameters<Browser["newContext"]>[0] = {}) {
      const context = await browser.newContext(contextOptions);
      // Below the test timeout, so a missing element fails with the locator's own message.
      context.setDefaultTimeout(locatorTimeoutMs);
      contexts.push(context);
      const page = await context.newPage();
      const trouble = watchForTrouble(page);
      await page.goto(base + path);
      return { page, context, trouble, widget: widgetOf(page) };
    },
    /** Published comments of a thread, read through the public API. */
    async thread(threadId: string, site = "demo") {
      const response = await fetch(`${base}/v1/sites/${site}/threads/${encodeURIComponent(threadId)}/comments?limit=100`);
      return (await response.json()) as { thread: { commentCount: number }; comments: { id: string; parentId: string | null; bodyHtml: string; author: { name: string } }[] };
    },
    /** Posts a comment through the API (no browser), as a reader would. */
    async seed(threadId: string, body: string, extra: Record<string, unknown> = {}, site = "demo") {
      const response = await fetch(`${base}/v1/sites/${site}/threads/${encodeURIComponent(threadId)}/comments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ author: { name: "Seeder" }, body, captchaToken: "test:0.9", ...extra }),
      });
      if (response.status !== 201) throw new Error(`seed failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { comment: { id: string } }).comment;
    },
    /** The moderation queue of a site. */
    async queue(site = "demo") {
      const response = await fetch(`${base}/v1/mod/sites/${site}/queue`, { headers: { authorization: "Bearer test-moderator-key" } });
      return (await response.json()) as { items: { id: string; threadId: string; status: string }[] };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
}

/** The widget's parts, found through its (open) shadow root the way a reader finds them: by role and label. */
export function widgetOf(page: Page, host: Locator | Page = page) {
  return {
    body: host.getByLabel("Comment", { exact: true }),
    name: host.getByLabel("Name", { exact: true }),
    email: host.getByLabel("Email (optional)"),
    website: host.getByLabel("Website (optional)"),
    score: host.getByLabel("Captcha score (test provider)"),
    submit: host.getByRole("button", { name: "Post comment" }),
    status: host.getByRole("status"),
    heading: host.getByRole("heading", { level: 2 }),
    comments: host.locator("article"),
    comment: (text: string) => host.locator("article", { hasText: text }),
  };
}

/** Fills the form and posts (with the test captcha's score, default 0.9). */
export async function post(widget: ReturnType<typeof widgetOf>, fields: { body: string; name?: string; email?: string; url?: string; score?: string }) {
  await widget.body.fill(fields.body);
  await widget.name.fill(fields.name ?? "Ann Reader");
  if (fields.email !== undefined) await widget.email.fill(fields.email);
  if (fields.url !== undefined) await widget.website.fill(fields.url);
  await widget.score.selectOption(fields.score ?? "0.9");
  await widget.submit.click();
}

/** Console errors other than Chromium's own report of an expected 4xx answer. */
export function unexpectedErrors(errors: string[]): string[] {
  return errors.filter((text) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(text));
}

/** A unique text, so tests never collide with the duplicate-comment check. */
export const unique = (text: string) => `${text} (${Math.random().toString(36).slice(2, 8)})`;

/** Waits (polling) until the value read from the page meets the expectation; a wait limit, not a timing check. */
export const soon = eventually;

/** Whether the element (also inside a shadow root) has keyboard focus. */
export const isFocused = (locator: Locator) => locator.evaluate((element) => element.matches(":focus"));
