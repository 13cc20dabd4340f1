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

/** Installed before the page's scripts: counts the host page's long tasks (over 50 ms, as the browser defines them). */
const countLongTasks = `(() => {
  window.__benchLongTasks = 0;
  try {
    new PerformanceObserver((list) => { window.__benchLongTasks += list.getEntries().length; }).observe({ type: "longtask", buffered: true });
  } catch {}
})();`;

/** What the host page costs a reader who never scrolls to the comments. */
export interface BeforeScroll {
  /** Bytes the page downloaded from our server (compressed, as transferred), page HTML included. */
  bytes: number;
  /** …of which our scripts (embed.js, count.js and anything they load). */
  scriptBytes: number;
  /** API requests made (count.js's one counts request is expected; thread and config calls are not). */
  apiCalls: number;
  /** Thread or config requests: 0 means the widget made no API call. */
  threadApiCalls: number;
  /** Requests for the widget bundle or a language table: 0 means only the loader ran. */
  widgetRequests: number;
  longTasks: number;
}

/**
 * Scenario 6: what the widget costs a reader: the bytes of the loader (embed.js), of the widget it loads near
 * the comments (CSS and English included), of count.js (raw and gzipped); what the demo article costs in
 * Chromium before the reader scrolls (bytes, API calls, long tasks); and the time from navigation to a
 * rendered page of comments for a reader who opens the article at its comments (fresh browser context each
 * time, so nothing is cached).
 */
export async function widgetScenario(ctx: ScenarioContext) {
  if (!existsSync(widgetRoutesFile)) {
    return { status: "not built" as const, reason: "packages/widget/src/server/widget-routes.ts does not exist yet" };
  }
  let built;
  try {
    const [{ widgetAssets }, { css }, { localRoutes }] = await Promise.all([
      import("@comments/widget/server"),
      import("@comments/widget/server"),
      import("../../packages/local/src/routes.ts"),
    ]);
    built = { ...(await widgetAssets()), css, routes: await localRoutes() };
  } catch (error) {
    return { status: "not built" as const, reason: `the widget did not build: ${(error as Error).message.split("\n")[0]}` };
  }
  const { embed, widget, count, locales, css, routes } = built;
  const largestLocale = locales.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
  const weight = {
    /** embed.js: the loader, all that runs before the reader comes near the comments. */
    embed: { bytes: embed.bytes, gzipBytes: embed.gzipBytes },
    /** The widget bundle embed.js loads near the comments (English texts and CSS inside). */
    widget: { bytes: widget.bytes, gzipBytes: widget.gzipBytes },
    count: { bytes: count.bytes, gzipBytes: count.gzipBytes },
    /** The largest language table (loaded on demand for a reader of that language). */
    largestLocale: { name: largestLocale.name, bytes: largestLocale.bytes, gzipBytes: largestLocale.gzipBytes },
    /** The stylesheet ships inside the widget bundle (adopted into the shadow root); its share of it. */
    cssInEmbed: size(css),
    /** Everything an English reader who scrolls to the comments downloads from us. */
    total: { bytes: embed.bytes + widget.bytes + count.bytes, gzipBytes: embed.gzipBytes + widget.gzipBytes + count.gzipBytes },
  };
  ctx.log(
    `widget: loader ${embed.gzipBytes} B, widget ${widget.gzipBytes} B, count.js ${count.gzipBytes} B, largest language ${largestLocale.gzipBytes} B (gzipped)`,
  );

  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromiumPath)) {
    return { status: "measured" as const, weight, beforeScroll: null, pageLoads: 0, threadRenderedMs: null, browser: `Chromium not found at ${chromiumPath} (set CHROMIUM_PATH)` };
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
  const origin = `http://127.0.0.1:${server.port}`;
  try {
    await seedThread(ctx.env.clients.documentClient, tableName, "demo", demoThread, ctx.config.threadSize);

    /** The demo article opened at its top, measured once the page and count.js are done, without scrolling. */
    const measureBeforeScroll = async (): Promise<BeforeScroll> => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript(countLongTasks);
        const finished: Promise<{ url: string; bytes: number; script: boolean }>[] = [];
        page.on("requestfinished", (request) =>
          finished.push(request.sizes().then((sizes) => ({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, script: request.resourceType() === "script" }))),
        );
        await page.goto(`${origin}/`, { waitUntil: "load" });
        await page.waitForFunction(`document.querySelector("[data-comments-count]")?.hasAttribute("data-comments-count") && /^\\d+$/.test(document.querySelector("[data-comments-count]").getAttribute("data-comments-count"))`, null, { timeout: 30_000 });
        await page.waitForLoadState("networkidle");
        const longTasks = (await page.evaluate("window.__benchLongTasks")) as number;
        const ours = (await Promise.all(finished)).filter((entry) => entry.url.startsWith(origin));
        const paths = ours.map((entry) => new URL(entry.url).pathname);
        return {
          bytes: ours.reduce((sum, entry) => sum + entry.bytes, 0),
          scriptBytes: ours.filter((entry) => entry.script).reduce((sum, entry) => sum + entry.bytes, 0),
          apiCalls: paths.filter((path) => path.startsWith("/v1/")).length,
          threadApiCalls: paths.filter((path) => path.startsWith("/v1/sites/demo/threads/") || path.endsWith("/config")).length,
          widgetRequests: paths.filter((path) => path.startsWith("/assets/")).length,
          longTasks,
        };
      } finally {
        await context.close();
      }
    };
    const beforeScroll = await measureBeforeScroll();
    ctx.log(
      `widget: demo article before scrolling: ${beforeScroll.bytes} B from us (${beforeScroll.scriptBytes} B scripts), ${beforeScroll.apiCalls} API call(s) (${beforeScroll.threadApiCalls} for the thread), ${beforeScroll.widgetRequests} widget request(s), ${beforeScroll.longTasks} long task(s)`,
    );

    const marker = `Comment ${Math.min(ctx.config.pageSize, ctx.config.threadSize) - 1}:`;
    ctx.log(`widget: ${ctx.config.pageLoads} page loads of the demo article at its comments in Chromium`);
    const loadOnce = async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript(watchForThread(marker));
        // A reader who follows a link to the comments: the box is on screen at once, so the widget loads at once.
        await page.goto(`${origin}/#comments-section`, { waitUntil: "load" });
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
      beforeScroll: beforeScroll as BeforeScroll | null,
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
