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

/** Launches Debian's Chromium (or `CHROMIUM_PATH`) through playwright-core; usable inside and outside vitest. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs, headless: true });
}
