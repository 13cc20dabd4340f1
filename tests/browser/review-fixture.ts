import { afterAll, beforeAll, expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { SiteConfigInput } from "@comments/core";
import type { LocalServer } from "../../packages/local/src/server.ts";
import { launchChromium, locatorTimeoutMs, startTestServer, watchForTrouble } from "../support/browser.ts";

/** The local server's moderator key (an admin key). */
export const devKey = "test-moderator-key";

/** A site that queues suspect words, more than two links and low captcha scores. */
export const newsSite = (id: string, name: string): SiteConfigInput => ({
  id,
  name,
  origins: [],
  captcha: { provider: "test" },
  moderation: { suspectWords: ["casino"], bannedWords: ["viagra"], maxLinks: 2, flagThreshold: 2 },
  rateLimit: { perMinute: 1000, perHour: 1000 },
});

/** Starts and stops Chromium and every server and context a test file opens. */
export function useReviewRig() {
  let browser: Browser;
  const servers: LocalServer[] = [];
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  });

  /** The full local server (API + review page) on a fresh table; X-Forwarded-For names the reader. */
  async function startServer(sites: SiteConfigInput[] = [newsSite("demo", "Demo")]) {
    const server = await startTestServer({ sites, env: { TRUSTED_PROXY_HOPS: "1" } });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    let ip = 0;
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(base + path, {
        method,
        headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${(ip++ % 250) + 1}`, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: response.status === 204 ? null : await response.json() };
    };
    return {
      server,
      base,
      /** Posts as a reader (`score` is the test captcha's score); returns the comment id. */
      async post(thread: string, body: string, options: { name?: string; email?: string; score?: string; parentId?: string; site?: string } = {}) {
        const res = await call("POST", `/v1/sites/${options.site ?? "demo"}/threads/${encodeURIComponent(thread)}/comments`, {
          author: { name: options.name ?? "Reader", ...(options.email ? { email: options.email } : {}) },
          body,
          captchaToken: `test:${options.score ?? "0.9"}`,
          ...(options.parentId ? { parentId: options.parentId } : {}),
        });
        expect([201, 202]).toContain(res.status);
        return res.json.comment.id as string;
      },
      mod: (method: string, path: string, body?: unknown, key = devKey) => call(method, `/v1/mod${path}`, body, { authorization: `Bearer ${key}` }),
      thread: async (thread: string, site = "demo") =>
        (await call("GET", `/v1/sites/${site}/threads/${encodeURIComponent(thread)}/comments?limit=100`)).json as { comments: Array<{ id: string }> },
    };
  }

  async function open(url: string, options: Parameters<Browser["newContext"]>[0] = {}) {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(locatorTimeoutMs);
    contexts.push(context);
    const page = await context.newPage();
    const trouble = watchForTrouble(page);
    await page.goto(url);
    return { page, context, trouble };
  }

  return { startServer, open };
}

/** Signs in on the review page with the keyboard and waits for the tabs. */
export async function signIn(page: Page, key = devKey): Promise<void> {
  await page.getByLabel("Moderator key").fill(key);
  await page.keyboard.press("Enter");
  await page.getByRole("tab", { name: "Queue" }).waitFor();
}

export const selectedId = (page: Page) => page.locator(".item[aria-current=true]").getAttribute("data-comment-id");
export const statusLine = (page: Page) => page.locator("#cw-status");
/** Chromium logs every 4xx fetch as a console error; those are expected answers here. */
export const realErrors = (errors: string[]) => errors.filter((e) => !/Failed to load resource: .*status of 4\d\d/.test(e));
