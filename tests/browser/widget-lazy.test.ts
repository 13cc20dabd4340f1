import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { soon, startWidgetRig, unique, widgetOf } from "./widget-fixture.ts";

/** A long article: the comment box starts five viewports down; a count at the top is filled by count.js. */
const article = (thread: string, extra = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long article</title></head><body>
<h1>A long article</h1>
<p><a href="#comments"><span data-comments-count data-site="demo" data-thread="${thread}">&nbsp;</span></a></p>
<div id="story" style="height:500vh">Story text</div>
<div id="comments" data-site="demo" data-thread="${thread}" ${extra}></div>
<script src="/embed.js" async></script><script src="/count.js" async></script>
</body></html>`;

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig({
    pages: {
      lazy: article("lazy"),
      eager: article("lazy-eager", 'data-loading="eager"'),
      deep: article("lazy-deep"),
      drafts: article("lazy-drafts"),
    },
  });
});
afterAll(async () => rig?.close());

/** Opens a page, recording the path of every request it makes from the first one on. */
async function openRecording(path: string) {
  const context = await rig.browser.newContext();
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(rig.base + path);
  return { page, context, requests, widget: widgetOf(page, page.locator("#comments")) };
}

const isThreadApiCall = (path: string) => path.startsWith("/v1/sites/demo/threads/") || path === "/v1/sites/demo/config";
const isWidgetBundle = (path: string) => /^\/assets\/widget\.[0-9a-f]{12}\.js$/.test(path);

/** Waits until the page has loaded, the loader has put its placeholder in the box and count.js has filled its count. */
async function settled(page: Page) {
  await page.waitForLoadState("load");
  await soon(() => page.evaluate(() => document.getElementById("comments")?.shadowRoot?.querySelector("[aria-busy=true]") != null)).toBe(true);
  await soon(() => page.locator("[data-comments-count]").getAttribute("data-comments-count")).toMatch(/^\d+$/);
}

/** Scrolls so that the comment box's top is half a viewport below the visible part of the page. */
const scrollNearComments = (page: Page) =>
  page.evaluate(() => {
    const top = document.getElementById("comments")!.getBoundingClientRect().top + scrollY;
    scrollTo(0, top - innerHeight * 1.5);
  });

describe("comment widget: lazy loading", () => {
  it("calls no API and loads no widget bundle before the reader comes near the comments, then loads them", async () => {
    await rig.seed("lazy", "Counted from the top of the page");
    const { page, requests, widget } = await openRecording("/test/lazy");
    await settled(page);
    expect(await page.locator("[data-comments-count]").textContent()).toBe("1 comment");
    expect(requests.filter(isThreadApiCall)).toEqual([]);
    expect(requests.filter(isWidgetBundle)).toEqual([]);

    // Within one viewport of being seen (not yet on screen) is near enough.
    await scrollNearComments(page);
    await soon(() => widget.heading.textContent()).toBe("1 comment");
    expect(await page.locator("#comments").evaluate((box) => box.getBoundingClientRect().top > innerHeight)).toBe(true);
    expect(requests.filter(isWidgetBundle)).toHaveLength(1);
    expect(requests.filter(isThreadApiCall).length).toBeGreaterThan(0);
  });

  it('loads at once with data-loading="eager"', async () => {
    const { page, widget } = await openRecording("/test/eager");
    await soon(() => widget.heading.textContent()).toBe("0 comments");
    expect(await page.evaluate(() => scrollY)).toBe(0);
  });

  it("loads at once when the page is opened at a comment's link (#comment-<id>)", async () => {
    const comment = await rig.seed("lazy-deep", "Linked from elsewhere");
    const { widget } = await openRecording(`/test/deep#comment-${comment.id}`);
    await widget.comment("Linked from elsewhere").waitFor({ state: "attached" });
    expect(await widget.heading.textContent()).toBe("1 comment");
  });

  it("keeps a draft typed earlier and shows it when the reader comes back and scrolls to the comments", async () => {
    const first = await openRecording("/test/drafts");
    await scrollNearComments(first.page);
    await first.page.locator("#comments").scrollIntoViewIfNeeded();
    const text = unique("Half-written thought");
    await first.widget.body.fill(text);
    await first.widget.name.fill("Drafting Reader");

    // Saved on this device as typed: the reader comes back to the article later, at its top.
    await soon(() => first.page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith("cw:draft:")))).toBe(true);
    const later = await first.context.newPage();
    await later.goto(rig.base + "/test/drafts");
    await settled(later);
    await later.locator("#comments").scrollIntoViewIfNeeded();
    const widget = widgetOf(later, later.locator("#comments"));
    await soon(() => widget.body.inputValue()).toBe(text);
    expect(await widget.name.inputValue()).toBe("Drafting Reader");
  });
});
