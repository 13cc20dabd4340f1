import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPage, isFocused, post, roomySite, soon, startWidgetRig, unexpectedErrors, unique } from "./widget-fixture.ts";

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

/** A long article: the comments start well below the first screen, so reaching one means scrolling. */
const longArticle = hostPage(`<h1>Long read</h1><div style="height:2500px">Article text</div>
<div id="comments" data-site="demo" data-thread="long-read"></div>`);

beforeAll(async () => {
  rig = await startWidgetRig({
    // "live" checks every second, so a test sees the new-comments button soon on a busy machine.
    sites: (port) => [roomySite(port), roomySite(port, { id: "live", liveUpdateSeconds: 1 })],
    pages: { "long-read": longArticle },
  });
});
afterAll(async () => rig?.close());

const hostPath = (thread: string, site = "demo") => `/test/host?site=${site}&thread=${encodeURIComponent(thread)}`;

describe("comment widget: links to comments", () => {
  it("gives every comment the id comment-<id>, and its Link action copies a permalink that leads back to it", async () => {
    const { page, widget, trouble } = await rig.open("/test/long-read", { permissions: ["clipboard-read", "clipboard-write"] });
    await page.locator("#comments").scrollIntoViewIfNeeded();
    const text = unique("A comment worth linking to.");
    await post(widget, { body: text });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    const id = (await rig.thread("long-read")).comments[0]!.id;
    expect(await widget.comment(text).getAttribute("id")).toBe(`comment-${id}`);

    await widget.comment(text).getByRole("button", { name: "Link" }).click();
    await soon(() => widget.status.textContent()).toBe("Link copied.");
    const permalink = await page.evaluate(() => navigator.clipboard.readText());
    expect(permalink).toBe(`${rig.base}/v1/sites/demo/comments/${id}`);

    // The post carried the page's address (without a fragment): the permalink redirects there.
    const redirect = await fetch(permalink, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`${rig.base}/test/long-read#comment-${id}`);
    expect(unexpectedErrors(trouble.errors)).toEqual([]);

    // Opening the link loads the widget at once (no scrolling by the reader), then scrolls, highlights and focuses.
    const opened = await rig.open(`/test/long-read#comment-${id}`);
    const target = opened.widget.comment(text);
    await soon(() => isFocused(target)).toBe(true);
    expect(await target.getAttribute("class")).toContain("hl");
    expect(await opened.page.evaluate(() => scrollY)).toBeGreaterThan(0);
    expect(await target.isVisible()).toBe(true);
  });

  it("offers the thread's Atom feed in its footer", async () => {
    const { page } = await rig.open(hostPath("feed-link"));
    const link = page.getByRole("link", { name: "Comments feed (Atom)" });
    expect(await link.getAttribute("href")).toBe(`${rig.base}/v1/sites/demo/threads/feed-link/comments.atom`);
    const feed = await fetch(await link.getAttribute("href") as string);
    expect(feed.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
  });
});

describe("comment widget: live updates", () => {
  it("announces new comments with a button that keeps the page still, and shows them when pressed", async () => {
    const thread = "live-thread";
    await rig.seed(thread, "The first comment.", {}, "live");
    const { page, widget } = await rig.open(hostPath(thread, "live"));
    await widget.comment("The first comment.").waitFor();
    const before = await widget.comment("The first comment.").boundingBox();

    const arrived = unique("A comment from another reader.");
    await rig.seed(thread, arrived, {}, "live");
    const button = page.getByRole("button", { name: "1 new comment" });
    await button.waitFor();
    // Nothing moved: the button appeared in room kept for it, and the new comment is not shown yet.
    expect(await widget.comment("The first comment.").boundingBox()).toEqual(before);
    expect(await widget.comment(arrived).count()).toBe(0);
    expect(await button.evaluate((el) => el.parentElement?.getAttribute("aria-live"))).toBe("polite");

    await button.click();
    await widget.comment(arrived).waitFor();
    await soon(() => isFocused(widget.comment(arrived))).toBe(true);
    expect(await widget.heading.textContent()).toBe("2 comments");
    expect(await button.isHidden()).toBe(true);
  });

  it("stops checking while the tab is hidden and checks again when it is visible", async () => {
    const thread = "hidden-tab";
    await rig.seed(thread, "Already here.", {}, "live");
    const { page, widget } = await rig.open(hostPath(thread, "live"));
    // The page's clock is ours to move: "a while" passes exactly when the test says so, never on a timer.
    await page.clock.install();
    await page.addInitScript(() => {
      const counted = window as unknown as { threadChecks: number };
      counted.threadChecks = 0;
      const original = window.fetch;
      window.fetch = (input, init) => {
        if (String(input instanceof Request ? input.url : input).includes("/comments?")) counted.threadChecks++;
        return original(input, init);
      };
    });
    await page.reload();
    await widget.comment("Already here.").waitFor();
    const checks = () => page.evaluate(() => (window as unknown as { threadChecks: number }).threadChecks);
    const loaded = await checks();
    await page.clock.runFor(1_500);
    await soon(checks).toBeGreaterThan(loaded);

    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await rig.seed(thread, "Arrived while away.", {}, "live");
    const whileHidden = await checks();
    await page.clock.runFor(30_000);
    expect(await checks()).toBe(whileHidden);
    expect(await page.getByRole("button", { name: "1 new comment" }).count()).toBe(0);

    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await page.clock.runFor(1_500);
    await page.getByRole("button", { name: "1 new comment" }).waitFor();
  });
});
