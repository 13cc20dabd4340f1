import { gzipSync } from "node:zlib";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startLocalServer } from "../../packages/local/src/server.ts";
import { launchChromium } from "../../tests/support/chromium.ts";
import { seedThread } from "../support/seed.ts";
import { median, round } from "../support/stats.ts";
import type { ScenarioContext } from "./context.ts";

const widgetRoutesFile = fileURLToPath(new URL("../../packages/widget/src/server/widget-routes.ts", import.meta.url));
/** The thread the demo article (`/`) shows. */
const demoThread = "2024/04/19/nato-isis";

const size = (text: string) => ({ bytes: Buffer.byteLength(text), gzipBytes: gzipSync(text, { level: 9 }).byteLength });

/**
 * Installed before the page's scripts: watches every shadow root the page attaches and records the moment
 * (ms since navigation start) `marker` first appears in one, i.e. when the thread is rendered. A string, not
 * a function: functions compiled here may reference helpers that do not exist in the page.
 */
const watchForThread = (marker: string) => `(() => {
  const marker = ${JSON.stringify(marker)};
  const roots = [];
  const check = () => {
    if (window.__benchRenderedAt === undefined && roots.some((root) => (root.textContent || "").includes(marker))) {
      window.__benchRenderedAt = performance.now();
    }
  };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.push(root);
    new MutationObserver(check).observe(root, { childList: true, subtree: true, characterData: true });
    return root;
  };
})();`;

/**
 * Scenario 6: what the widget costs a reader: the bytes of embed.js, count.js and the CSS inside embed.js
 * (raw and gzipped), and the time from navigation to a rendered page of comments on the demo article in
 * headless Chromium (fresh browser context each time, so nothing is cached).
 */
export async function widgetScenario(ctx: ScenarioContext) {
  if (!existsSync(widgetRoutesFile)) {
    return { status: "not built" as const, reason: "packages/widget/src/server/widget-routes.ts does not exist yet" };
  }
  let built;
  try {
    const [{ widgetAssets }, { css }, { localRoutes }] = await Promise.all([
      import("@comments/widget/server/assets"),
      import("@comments/widget/embed/styles"),
      import("../../packages/local/src/routes.ts"),
    ]);
    built = { ...(await widgetAssets()), css, routes: await localRoutes() };
  } catch (error) {
    return { status: "not built" as const, reason: `the widget did not build: ${(error as Error).message.split("\n")[0]}` };
  }
  const { embed, count, css, routes } = built;
  const weight = {
    embed: { bytes: embed.bytes, gzipBytes: embed.gzipBytes },
    count: { bytes: count.bytes, gzipBytes: count.gzipBytes },
    /** The stylesheet ships inside embed.js (adopted into the shadow root); its share of embed.js. */
    cssInEmbed: size(css),
    total: { bytes: embed.bytes + count.bytes, gzipBytes: embed.gzipBytes + count.gzipBytes },
  };

  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromiumPath)) {
    return { status: "measured" as const, weight, pageLoads: 0, threadRenderedMs: null, browser: `Chromium not found at ${chromiumPath} (set CHROMIUM_PATH)` };
  }

  const tableName = `bench-widget-${Date.now()}`;
  const server = await startLocalServer({
    port: 0,
    dataDir: null,
    dynamoEndpoint: ctx.env.endpoint,
    tableName,
    moderatorKey: null,
    env: { IP_HASH_KEY: "bench-ip-hash-key-0123456789" },
    routes,
  });
  const browser = await launchChromium();
  try {
    await seedThread(ctx.env.clients.documentClient, tableName, "demo", demoThread, ctx.config.threadSize);
    const marker = `Comment ${Math.min(ctx.config.pageSize, ctx.config.threadSize) - 1}:`;
    ctx.log(`widget: ${ctx.config.pageLoads} page loads of the demo article in Chromium`);
    const loadOnce = async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript(watchForThread(marker));
        await page.goto(`http://127.0.0.1:${server.port}/`, { waitUntil: "load" });
        await page.waitForFunction("window.__benchRenderedAt !== undefined", null, { timeout: 30_000 });
        return (await page.evaluate(`(() => {
          const nav = performance.getEntriesByType("navigation")[0];
          return { renderedMs: window.__benchRenderedAt, domContentLoadedMs: nav.domContentLoadedEventEnd, loadMs: nav.loadEventEnd };
        })()`)) as { renderedMs: number; domContentLoadedMs: number; loadMs: number };
      } finally {
        await context.close();
      }
    };
    await loadOnce();
    const loads = [];
    for (let i = 0; i < ctx.config.pageLoads; i++) loads.push(await loadOnce());
    return {
      status: "measured" as const,
      weight,
      pageLoads: loads.length,
      threadRenderedMs: round(median(loads.map((l) => l.renderedMs)), 1) as number | null,
      browser: "chromium",
      domContentLoadedMs: round(median(loads.map((l) => l.domContentLoadedMs)), 1),
      loadEventMs: round(median(loads.map((l) => l.loadMs)), 1),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
