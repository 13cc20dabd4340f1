import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect, vi } from "vitest";
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

/** The WCAG levels every screen is checked against: 2.0, 2.1 and 2.2, levels A and AA. */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** One axe finding, short enough to read in a failed assertion. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (shadow roots included) against {@link wcagTags} and returns what it finds.
 * Pages with a strict Content-Security-Policy need a context made with `bypassCSP: true`, since axe is
 * injected as an inline script.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.addScriptTag({ content: axeSource });
  return (await page.evaluate(`axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(wcagTags)} }, resultTypes: ["violations"] })
    .then((results) => results.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) })))`)) as AxeViolation[];
}

/**
 * Waits (polling) until the value read from the page meets the expectation. The limit is generous because a
 * busy two-core machine can be slow; it is a wait on a condition, never a timing check (vitest's own default
 * poll gives up after one second).
 */
export const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 60_000, interval: 100 });

/**
 * Limits for browser test files on a busy two-core machine: a test may take two minutes, a locator waits up to
 * a minute (less than the test, so a missing element fails with the locator's own message). Call once at the
 * top of a test file; these are upper bounds to wait on conditions, never timing checks.
 */
export const browserTestTimeoutMs = 120_000;
export const locatorTimeoutMs = 60_000;
export function useBrowserTestLimits(): void {
  vi.setConfig({ testTimeout: browserTestTimeoutMs, hookTimeout: browserTestTimeoutMs });
}
