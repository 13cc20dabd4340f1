import { chromium, type Browser } from "playwright-core";

/** The flags the browser tests use (tests/support/browser.ts): headless, no sandbox, no background traffic. */
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** Launches Debian's Chromium (or `CHROMIUM_PATH`) through playwright-core, outside vitest. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs, headless: true });
}
