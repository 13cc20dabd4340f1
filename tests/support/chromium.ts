import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Chromium flags for this machine: headless, no sandbox (root), no background network calls. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** Where Chromium or Chrome usually lives on Debian/Ubuntu, Fedora, Arch, snap and macOS, in order of preference. */
const usualPaths = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  join(homedir(), "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
];

/** The browser Playwright itself downloaded (`npx playwright install chromium`), if any. */
function playwrightDownload(): string | null {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Finds a Chromium or Chrome to drive: `CHROMIUM_PATH` when set, else the usual install paths, else the browser
 * Playwright downloaded. Returns null when there is none.
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string | null {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  return usualPaths.find((path) => existsSync(path)) ?? playwrightDownload();
}

/** One line saying what is missing and how to install it, for the platform this runs on. */
export function chromiumMissingMessage(env: Record<string, string | undefined> = process.env): string {
  if (env.CHROMIUM_PATH) return `CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, but no browser is there.`;
  const install =
    process.platform === "darwin"
      ? "brew install --cask chromium (or install Google Chrome)"
      : "sudo apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary";
  return `No Chromium or Chrome found for the browser tests: ${install}.`;
}

/** Launches the browser {@link findChromium} finds, through playwright-core; usable inside and outside vitest. */
export function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(chromiumMissingMessage());
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
}
