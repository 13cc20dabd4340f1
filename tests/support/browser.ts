import type { Page } from "playwright-core";
import type { LocalServer, LocalServerOptions } from "../../packages/local/src/server.ts";
import { localRoutes } from "../../packages/local/src/routes.ts";
import { startApiServer } from "./harness.ts";

export { chromiumArgs, launchChromium } from "./chromium.ts";

/**
 * The full local server (API, widget, pages) on a free port, on a fresh table of the test run's
 * DynamoDB Local. Stop it in `afterAll`.
 */
export async function startTestServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  return startApiServer({ routes: await localRoutes(), ...options });
}

/**
 * Collects what a page must never do: open dialogs (alert/confirm/prompt), log console errors or throw.
 * Dialogs are dismissed so a test never hangs on one.
 */
export function watchForTrouble(page: Page): { dialogs: string[]; errors: string[] } {
  const trouble = { dialogs: [] as string[], errors: [] as string[] };
  page.on("dialog", (dialog) => {
    trouble.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on("console", (message) => {
    if (message.type() === "error") trouble.errors.push(message.text());
  });
  page.on("pageerror", (error) => trouble.errors.push(error.message));
  return trouble;
}
