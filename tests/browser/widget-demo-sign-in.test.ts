import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freePort } from "../../packages/local/src/dynamodb-local.ts";
import { localRoutes } from "../../packages/local/src/routes.ts";
import type { LocalServer } from "../../packages/local/src/server.ts";
import { launchChromium, locatorTimeoutMs, startTestServer, useBrowserTestLimits, watchForTrouble } from "../support/browser.ts";
import { soon, unexpectedErrors, unique, widgetOf } from "./widget-fixture.ts";

/**
 * The demo article on the local server with its built-in demo site: "Sign in as a demo reader" (and as staff)
 * gets a token from the local server and signs the reader into the widget, so a newcomer can try it in a minute.
 */

useBrowserTestLimits();
let server: LocalServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  // No sites given: the local server runs its built-in demo site, which signs demo readers in.
  server = await startTestServer({ port, routes: await localRoutes() });
  browser = await launchChromium();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the demo article's sign-in", () => {
  it("signs in as demo staff, posts with the staff badge, and signs out again", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(locatorTimeoutMs);
    const page = await context.newPage();
    const trouble = watchForTrouble(page);
    await page.goto(`${base}/`);
    const widget = widgetOf(page, page.locator("#comments"));
    // The comments sit below the article: the widget loads when the reader scrolls near them.
    await page.locator("#comments").scrollIntoViewIfNeeded();
    await widget.name.waitFor();

    await page.getByRole("button", { name: "Sign in as demo staff" }).click();
    await page.getByText("Signed in as Demo Editor").waitFor();
    const body = unique("Posted from the demo sign-in");
    await widget.body.fill(body);
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    await widget.comment(body).getByText("Staff", { exact: true }).waitFor();
    await widget.comment(body).getByRole("img", { name: "Verified reader" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await widget.name.waitFor();
    await page.getByRole("button", { name: "Sign in as a demo reader" }).click();
    await page.getByText("Signed in as Demo Reader").waitFor();
    expect(unexpectedErrors(trouble.errors)).toEqual([]);
    await context.close();
  });
});
