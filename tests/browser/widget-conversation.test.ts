import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPage, isFocused, post, roomySite, soon, startWidgetRig, unexpectedErrors, unique, widgetOf } from "./widget-fixture.ts";

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

/** Moderator action on a comment of the demo site. */
async function decide(threadId: string, commentId: string, action: string) {
  const response = await fetch(`${rig.base}/v1/mod/sites/demo/threads/${encodeURIComponent(threadId)}/comments/${commentId}/decision`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test-moderator-key" },
    body: JSON.stringify({ action }),
  });
  if (response.status !== 200) throw new Error(`decision failed: ${response.status}`);
}

/** The bodies of the thread's top-level comments, in the order the widget shows them. */
const shownOrder = (page: import("playwright-core").Page) =>
  page.locator("#comments").evaluate((host) => [...host.shadowRoot!.querySelectorAll("ol[aria-labelledby=cw-h]>li>article .bd")].map((bd) => bd.textContent!.trim()));

describe("comment widget: likes, order, featured comments and long sub-threads", () => {
  it("likes with aria-pressed and the count, remembers it, and puts it back when the server refuses", async () => {
    const thread = "likes";
    await rig.seed(thread, "Worth a like.");
    const { page, widget } = await rig.open(hostPath(thread));
    const like = widget.comment("Worth a like.").getByRole("button", { name: /^Like/ });
    expect(await like.getAttribute("aria-pressed")).toBe("false");
    await like.click();
    await soon(async () => (await rig.thread(thread)).comments[0] as unknown as { likes: number }).toMatchObject({ likes: 1 });
    expect(await like.getAttribute("aria-pressed")).toBe("true");
    expect(await like.textContent()).toBe("Like 1");

    await page.reload();
    const again = widgetOf(page).comment("Worth a like.").getByRole("button", { name: /^Like/ });
    await soon(() => again.getAttribute("aria-pressed")).toBe("true");

    // The server refuses the unlike: the button shows the like again and the reader is told.
    await page.route("**/like", (route) => route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"unavailable","message":"down"}}' }));
    await again.click();
    await soon(() => widgetOf(page).status.textContent()).toBe("Your like could not be saved.");
    expect(await again.getAttribute("aria-pressed")).toBe("true");
    expect(await again.textContent()).toBe("Like 1");
  });

  it("likes and unlikes from the keyboard alone", async () => {
    const thread = "likes-keyboard";
    await rig.seed(thread, "Liked by keyboard.");
    const { page, widget } = await rig.open(hostPath(thread));
    const comment = widget.comment("Liked by keyboard.");
    await comment.getByRole("button", { name: "Reply" }).focus();
    await page.keyboard.press("Tab");
    const like = comment.getByRole("button", { name: /^Like/ });
    expect(await isFocused(like)).toBe(true);
    await page.keyboard.press("Space");
    await soon(() => like.getAttribute("aria-pressed")).toBe("true");
    await soon(async () => ((await rig.thread(thread)).comments[0] as unknown as { likes: number }).likes).toBe(1);
    // The server may have counted the like before its answer is back in the page, and the button ignores presses
    // until then: press Enter again while it still shows the like, as a reader would.
    await soon(async () => {
      if ((await like.getAttribute("aria-pressed")) === "true") await page.keyboard.press("Enter");
      return like.getAttribute("aria-pressed");
    }).toBe("false");
    expect(await isFocused(like)).toBe(true);
    await soon(async () => ((await rig.thread(thread)).comments[0] as unknown as { likes: number }).likes).toBe(0);
    expect(await like.getAttribute("aria-pressed")).toBe("false");
  });

  it("switches the order and remembers the reader's choice", async () => {
    const thread = "order";
    await rig.seed(thread, "First.");
    const liked = await rig.seed(thread, "Second, and liked.");
    await rig.seed(thread, "Third.");
    await fetch(`${rig.base}/v1/sites/demo/threads/${thread}/comments/${liked.id}/like`, { method: "PUT" });
    const { page } = await rig.open(hostPath(thread));
    await soon(() => shownOrder(page)).toEqual(["First.", "Second, and liked.", "Third."]);

    await page.getByLabel("Sort by").selectOption("newest");
    await soon(() => shownOrder(page)).toEqual(["Third.", "Second, and liked.", "First."]);
    await page.reload();
    await soon(() => shownOrder(page)).toEqual(["Third.", "Second, and liked.", "First."]);
    expect(await page.getByLabel("Sort by").inputValue()).toBe("newest");

    await page.getByLabel("Sort by").selectOption("top");
    await soon(() => shownOrder(page)).toEqual(["Second, and liked.", "First.", "Third."]);
  });

  it("shows the comments the newsroom picked under Featured, above the thread", async () => {
    const thread = "featured";
    await rig.seed(thread, "An ordinary comment.");
    const picked = await rig.seed(thread, "The comment the newsroom picked.");
    await decide(thread, picked.id, "feature");
    const { page } = await rig.open(hostPath(thread));
    const featured = page.getByRole("region", { name: "Featured" });
    await featured.getByText("The comment the newsroom picked.").waitFor();
    expect(await featured.getByText("An ordinary comment.").count()).toBe(0);
    // Above the thread: the section comes before the list of comments.
    const above = await page.locator("#comments").evaluate((host) => {
      const root = host.shadowRoot!;
      return Boolean(root.querySelector(".ft")!.compareDocumentPosition(root.querySelector("ol[aria-labelledby=cw-h]")!) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(above).toBe(true);
  });

  it("opens a link to a comment beyond the first page: fetched around it, scrolled to, highlighted and focused", async () => {
    const thread = "deep-link";
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push((await rig.seed(thread, `Comment number ${i}.`)).id);
    const { page, widget } = await rig.open(`${hostPath(thread)}&page-size=2#comment-${ids[4]}`);
    const target = widget.comment("Comment number 5.");
    await soon(() => isFocused(target)).toBe(true);
    expect(await target.getAttribute("class")).toContain("hl");
    expect(await target.isVisible()).toBe(true);
    expect(await page.locator("#comments").evaluate((host, id) => host.shadowRoot!.getElementById(`comment-${id}`) !== null, ids[4]!)).toBe(true);
  });

  it("shows the rest of a long sub-thread with \"Show N more replies\"", async () => {
    const thread = "long-sub-thread";
    const root = await rig.seed(thread, "A root with many replies.");
    for (let i = 1; i <= 51; i++) await rig.seed(thread, `Reply ${i}.`, { parentId: root.id });
    const { page, widget } = await rig.open(hostPath(thread));
    const more = page.getByRole("button", { name: "Show 1 more reply" });
    await more.waitFor();
    expect(await widget.comment("Reply 51.").count()).toBe(0);
    await more.click();
    await widget.comment("Reply 51.").waitFor();
    await soon(() => isFocused(widget.comment("Reply 51."))).toBe(true);
    expect(await more.count()).toBe(0);
  });
});
