import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hono } from "hono";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { demoSite, type SiteConfigInput } from "@comments/core";
import { freePort } from "../../packages/local/src/dynamodb-local.ts";
import { localRoutes } from "../../packages/local/src/routes.ts";
import type { LocalServer } from "../../packages/local/src/server.ts";
import { eventually, launchChromium, locatorTimeoutMs, startTestServer, useBrowserTestLimits, watchForTrouble } from "../support/browser.ts";

useBrowserTestLimits();

/** The corpus: one payload a line, `\n` for a line break, `# ` comment lines. */
const payloads = readFileSync(new URL("../fixtures/xss-payloads.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("# ") && line !== "#")
  .map((line) => line.replaceAll("\\n", "\n"));

const printable = /^[^\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]+$/u;
/** Payloads that are also valid thread ids (1..200 printable characters). */
const threadPayloads = payloads.filter((p) => [...p].length <= 200 && printable.test(p));
/** Author URLs a reader may give (absolute http(s)) that carry markup. */
const hostileUrls = ['https://example.com/"><script>alert(1)</script>', "https://example.com/?q=<svg/onload=alert(1)>", "https://example.com/'onmouseover='alert(1)"];

const key = "test-moderator-key";
const roomy = (id: string, port: number): SiteConfigInput => ({
  ...demoSite(port),
  id,
  name: id,
  rateLimit: { perMinute: 100_000, perHour: 100_000 },
  // Links and words must not change where a payload lands: published for the widget, queued for the review page.
  moderation: { maxLinks: 1000 },
});

/** A host page for the widget; `?thread=` chooses the thread (set as an attribute, never parsed as HTML). */
const hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>XSS host</title></head><body>
<h1>Article</h1>
<script>
  const host = document.createElement("div");
  host.id = "comments";
  host.setAttribute("data-site", "demo");
  host.setAttribute("data-page-size", "100");
  host.setAttribute("data-thread", new URLSearchParams(location.search).get("thread") ?? "xss");
  document.body.append(host);
</script>
<script src="/embed.js" async></script>
</body></html>`;

let server: LocalServer;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method, headers: { "content-type": "application/json", ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  const port = await freePort();
  const pages = new Hono().get("/test/xss", (c) => c.html(hostPage));
  server = await startTestServer({ port, sites: [roomy("demo", port), roomy("second", port)], routes: [...(await localRoutes()), pages] });
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** A fresh page that records dialogs, errors, every request it makes, and whether `window.__xss` was ever set. */
async function open(path: string) {
  const context = await browser.newContext();
  context.setDefaultTimeout(locatorTimeoutMs);
  contexts.push(context);
  const page = await context.newPage();
  const trouble = watchForTrouble(page);
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  // A setter on window.__xss notices a payload even if it deletes the property afterwards.
  await context.addInitScript(() => {
    let hit = false;
    Object.defineProperty(window, "__xss", { configurable: false, get: () => hit, set: () => (hit = true) });
  });
  await page.goto(base + path);
  return { page, trouble, requests };
}

/**
 * Inside every rendered comment body: only the Markdown subset's elements, no `on…` attribute, links only
 * to http, https or mailto. Returns what is wrong, as text. `bodies` selects the body elements, in `root`
 * (the widget's shadow root or the document).
 */
function unsafeMarkup(page: Page, hostSelector: string | null, bodies: string) {
  return page.evaluate(
    ({ hostSelector, bodies }) => {
      const root: ParentNode | null = hostSelector ? (document.querySelector(hostSelector)?.shadowRoot ?? null) : document;
      if (!root) return ["no root"];
      const allowed = new Set(["P", "BR", "EM", "STRONG", "CODE", "PRE", "A"]);
      const problems: string[] = [];
      const found = root.querySelectorAll(bodies);
      if (found.length === 0) problems.push("no comment bodies rendered");
      for (const body of found) {
        for (const element of body.querySelectorAll("*")) {
          if (!allowed.has(element.tagName)) problems.push(`<${element.tagName.toLowerCase()}>`);
          for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            if (name.startsWith("on") || !["href", "rel", "target", "title", "class"].includes(name)) problems.push(`${element.tagName.toLowerCase()}[${name}]`);
            if (name === "href" && !/^(https?:|mailto:)/i.test(new URL(attribute.value, location.href).protocol)) problems.push(`href ${attribute.value}`);
          }
        }
      }
      // Nothing outside the bodies either: no element a payload could have brought in.
      const page = root instanceof Document ? root.body : root;
      for (const element of page.querySelectorAll("script:not([src]), iframe, object, embed, svg, math, img, style:not(:first-of-type) ~ style, base, meta[http-equiv], link[rel=import], form button[formaction]")) {
        if (!(element.tagName === "SVG" && element.closest("button, .cw-icon"))) problems.push(`stray <${element.tagName.toLowerCase()}>`);
      }
      return problems;
    },
    { hostSelector, bodies },
  );
}

/** Fires the events inline handlers listen for on every element of the comments (hover, pointer, focus). */
function poke(page: Page, hostSelector: string | null, within: string) {
  return page.evaluate(
    ({ hostSelector, within }) => {
      const root: ParentNode | null = hostSelector ? (document.querySelector(hostSelector)?.shadowRoot ?? null) : document;
      let count = 0;
      for (const element of root?.querySelectorAll(`${within}, ${within} *`) ?? []) {
        for (const type of ["mouseover", "mouseenter", "pointerover", "pointerenter", "focus", "focusin", "animationstart", "toggle", "load", "error"]) {
          element.dispatchEvent(type.startsWith("pointer") ? new PointerEvent(type, { bubbles: true }) : type.startsWith("mouse") ? new MouseEvent(type, { bubbles: true }) : new Event(type, { bubbles: true }));
        }
        count += 1;
      }
      return count;
    },
    { hostSelector, within },
  );
}

/** Requests the page made that are not our own pages, script or API. */
function foreignRequests(requests: string[]) {
  return requests.filter((url) => {
    if (!url.startsWith(`${base}/`)) return true;
    const path = new URL(url).pathname;
    return !/^\/(embed\.js|count\.js|assets\/(widget|locale-[a-z]+)\.[0-9a-f]{12}\.js|moderate(\.js)?|test\/xss|favicon\.ico|v1\/.*)$/.test(path);
  });
}

/** Console errors other than Chromium's own note about an expected 4xx answer. */
const realErrors = (errors: string[]) => errors.filter((text) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(text));

describe("a corpus of XSS payloads in real Chromium", () => {
  it("has at least 100 payloads", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(100);
    expect(threadPayloads.length).toBeGreaterThan(50);
  });

  it("notices a payload that does run (the checks below can fail)", async () => {
    await api("POST", "/v1/sites/demo/threads/canary/comments", { author: { name: "Canary" }, body: "canary", captchaToken: "test:0.9" });
    const { page, trouble, requests } = await open("/test/xss?thread=canary");
    await eventually(() => page.locator("#comments article").count()).toBe(1);
    // What a sanitizer bug would do: live markup inside a comment body.
    await page.evaluate(() => {
      const body = document.querySelector("#comments")!.shadowRoot!.querySelector("article .bd")!;
      body.innerHTML = '<img src="/canary.png" onerror="window.__xss = 1; alert(1)"><b onmouseover="confirm(2)">hover</b>';
    });
    await eventually(() => page.evaluate(() => (window as unknown as { __xss: boolean }).__xss)).toBe(true);
    await poke(page, "#comments", "article");
    // The image's onerror ran on load (and again when poked), the hover handler when poked.
    await eventually(() => ["alert: 1", "confirm: 2"].every((d) => trouble.dialogs.includes(d))).toBe(true);
    expect(await unsafeMarkup(page, "#comments", "article .bd")).toEqual(expect.arrayContaining(["<img>", "img[onerror]", "<b>", "b[onmouseover]"]));
    expect(foreignRequests(requests)).toEqual([`${base}/canary.png`]);
  });

  it("runs none of them in the widget: as bodies, author names and thread ids, posted through the API and through the form", async () => {
    for (const [i, payload] of payloads.entries()) {
      const res = await api("POST", "/v1/sites/demo/threads/xss/comments", {
        author: { name: payload.slice(0, 100).trim() || "x", ...(i < hostileUrls.length ? { url: hostileUrls[i] } : {}) },
        body: payload,
        captchaToken: "test:0.9",
      });
      expect(res.status, payload).toBe(201);
    }
    const { page, trouble, requests } = await open("/test/xss?thread=xss");
    const host = page.locator("#comments");
    await eventually(() => host.locator("article").count()).toBeGreaterThan(0);
    // Load every page of the thread.
    for (let pages = 0; pages < 5; pages++) {
      const shown = await host.locator("article").count();
      if (shown >= payloads.length) break;
      await host.getByRole("button", { name: /load more/i }).click();
      await eventually(() => host.locator("article").count()).toBeGreaterThan(shown);
    }
    await eventually(() => host.locator("article").count()).toBe(payloads.length);
    // The markup a reader typed is shown as text.
    await eventually(() => host.locator("article").filter({ hasText: "<script>alert(1)</script>" }).count()).toBeGreaterThan(0);

    // A few typed into the widget's own form, shown from the API's answer.
    for (const [i, payload] of payloads.slice(0, 5).entries()) {
      const marker = `(typed ${i})`;
      await host.getByLabel("Comment", { exact: true }).fill(`${payload} ${marker}`);
      await host.getByLabel("Name", { exact: true }).fill(payload.slice(0, 90));
      await host.getByLabel("Captcha score (test provider)").selectOption("0.9");
      await host.getByRole("button", { name: "Post comment" }).click();
      await eventually(() => host.locator("article").evaluateAll((articles, text) => articles.some((a) => (a.textContent ?? "").includes(text)), marker)).toBe(true);
    }

    expect(await poke(page, "#comments", "article")).toBeGreaterThan(payloads.length);
    expect(await unsafeMarkup(page, "#comments", "article .bd")).toEqual([]);
    // Author links stay plain http(s) links whatever their query says.
    const authorLinks = await host.locator("article a.au").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).protocol));
    expect(authorLinks.length).toBe(hostileUrls.length);
    expect(new Set(authorLinks)).toEqual(new Set(["https:"]));

    expect(await page.evaluate(() => (window as unknown as { __xss: boolean }).__xss)).toBe(false);
    expect(trouble.dialogs).toEqual([]);
    expect(realErrors(trouble.errors)).toEqual([]);
    expect(foreignRequests(requests)).toEqual([]);

    // Payloads as thread ids: the widget shows those threads without running them.
    for (const thread of threadPayloads.slice(0, 12)) {
      const res = await api("POST", `/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments`, { author: { name: "Thread tester" }, body: `in thread ${thread}`, captchaToken: "test:0.9" });
      expect(res.status, thread).toBe(201);
      const other = await open(`/test/xss?thread=${encodeURIComponent(thread)}`);
      await eventually(() => other.page.locator("#comments article").count()).toBe(1);
      await poke(other.page, "#comments", "article");
      expect(await other.page.evaluate(() => (window as unknown as { __xss: boolean }).__xss), thread).toBe(false);
      expect(other.trouble.dialogs, thread).toEqual([]);
      expect(realErrors(other.trouble.errors), thread).toEqual([]);
      expect(foreignRequests(other.requests), thread).toEqual([]);
    }
  }, 240_000);

  it("runs none of them on the review page: queued bodies, author names and thread ids, across two sites", async () => {
    const queued: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const site = i % 2 === 0 ? "demo" : "second";
      const thread = threadPayloads[i % threadPayloads.length]!;
      const res = await api("POST", `/v1/sites/${site}/threads/${encodeURIComponent(thread)}/comments`, {
        author: { name: payload.slice(0, 100).trim() || "x", ...(i < hostileUrls.length ? { url: hostileUrls[i] } : {}) },
        body: `${payload} (queued)`,
        captchaToken: "test:0.5",
      });
      expect(res.status, payload).toBe(202);
      queued.push(res.json.comment.id);
    }
    const { page, trouble, requests } = await open("/moderate");
    await page.getByLabel("Moderator key").fill(key);
    await page.keyboard.press("Enter");
    await page.getByRole("tab", { name: "Queue" }).waitFor();
    await eventually(() => page.locator(".item").count()).toBe(payloads.length);
    expect(await page.locator(".item .body").filter({ hasText: "<script>alert(1)</script> (queued)" }).count()).toBeGreaterThan(0);

    expect(await poke(page, null, ".item")).toBeGreaterThan(payloads.length);
    expect(await unsafeMarkup(page, null, ".item .body")).toEqual([]);
    // Names are text: no element was made from them.
    expect(await page.locator(".item .author *").count()).toBe(0);

    // Deciding moves through the comments (each becomes the selected one) without running anything either.
    for (let i = 0; i < 10; i++) await page.keyboard.press("j");
    await page.keyboard.press("r");
    await eventually(() => page.locator(".item").count()).toBe(payloads.length - 1);

    expect(await page.evaluate(() => (window as unknown as { __xss: boolean }).__xss)).toBe(false);
    expect(trouble.dialogs).toEqual([]);
    expect(realErrors(trouble.errors)).toEqual([]);
    expect(foreignRequests(requests)).toEqual([]);
  }, 240_000);
});
