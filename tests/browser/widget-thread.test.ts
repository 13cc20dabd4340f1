import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFocused, post, roomySite, soon, startWidgetRig, unexpectedErrors, unique, widgetOf } from "./widget-fixture.ts";

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig({
    // One comment an hour: a slow run crossing a minute boundary between two posts still meets the limit.
    sites: (port) => [roomySite(port), { ...roomySite(port), id: "tight", rateLimit: { perMinute: 1, perHour: 1 } }],
  });
});
afterAll(async () => rig?.close());

const hostPath = (thread: string, extra = "") => `/test/host?site=demo&thread=${encodeURIComponent(thread)}${extra}`;

describe("comment widget: reading and posting", () => {
  it("posts a comment on the demo article and shows it in the thread, also after a reload", async () => {
    const { page, trouble } = await rig.open("/");
    const widget = widgetOf(page, page.locator("#comments"));
    // The comments sit below the article: the widget loads when the reader scrolls near them.
    await page.locator("#comments").scrollIntoViewIfNeeded();
    await soon(() => widget.heading.textContent()).toBe("0 comments");
    const text = unique("Thanks for the clear report on the Brussels talks.");
    await post(widget, { body: text, name: "Zahra" });

    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(await widget.comment(text).textContent()).toContain("Zahra");
    expect(await widget.heading.textContent()).toBe("1 comment");
    expect(await widget.body.inputValue()).toBe("");

    await page.reload();
    await page.locator("#comments").scrollIntoViewIfNeeded();
    const again = widgetOf(page, page.locator("#comments"));
    await again.comment(text).waitFor();
    const time = again.comment(text).locator("time");
    expect(await time.getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await time.getAttribute("title")).toMatch(/20\d\d/);
    expect((await rig.thread("2024/04/19/nato-isis")).comments.map((c) => c.author.name)).toEqual(["Zahra"]);
    expect(trouble.dialogs).toEqual([]);
    expect(unexpectedErrors(trouble.errors)).toEqual([]);
  });

  it("shows each client-side message, word for word, tied to its field, without calling the API", async () => {
    const { page, widget } = await rig.open(hostPath("validation"));
    const posts: string[] = [];
    page.on("request", (request) => void (request.method() === "POST" && posts.push(request.url())));

    await widget.submit.click();
    const bodyError = page.getByText("Please enter your comment!", { exact: true });
    const nameError = page.getByText("Please enter your name here", { exact: true });
    await bodyError.waitFor();
    await nameError.waitFor();
    expect(await widget.body.getAttribute("aria-invalid")).toBe("true");
    expect(await widget.name.getAttribute("aria-invalid")).toBe("true");
    expect(await widget.body.getAttribute("aria-describedby")).toContain(await bodyError.getAttribute("id"));
    expect(await widget.name.getAttribute("aria-describedby")).toContain(await nameError.getAttribute("id"));
    expect(await isFocused(widget.body)).toBe(true);

    await widget.body.fill("Only the comment this time");
    expect(await widget.body.getAttribute("aria-invalid")).toBeNull();
    await widget.submit.click();
    await soon(() => isFocused(widget.name)).toBe(true);
    expect(await bodyError.count()).toBe(0);
    expect(await nameError.isVisible()).toBe(true);

    await widget.body.fill("   \n  ");
    await widget.name.fill("Ann");
    await widget.submit.click();
    await bodyError.waitFor();
    expect(await nameError.count()).toBe(0);
    expect(posts).toEqual([]);
  });

  it("shows the server's field errors as returned, under the field", async () => {
    const { page, widget } = await rig.open(hostPath("server-fields"));
    await post(widget, { body: unique("Comment with a bad email"), email: "not-an-email" });
    const error = page.getByText("Please enter a valid email address", { exact: true });
    await error.waitFor();
    expect(await widget.email.getAttribute("aria-invalid")).toBe("true");
    expect(await widget.email.getAttribute("aria-describedby")).toContain(await error.getAttribute("id"));
    await soon(() => isFocused(widget.email)).toBe(true);
  });

  it("says 'Captcha verification failed!' when the captcha token is rejected, and keeps the text", async () => {
    const { widget } = await rig.open(hostPath("captcha-fail"));
    const text = unique("Bot-looking comment");
    await post(widget, { body: text, score: "fail" });
    await soon(() => widget.status.textContent()).toBe("Captcha verification failed!");
    expect(await widget.body.inputValue()).toBe(text);
    expect((await rig.thread("captcha-fail")).comments).toEqual([]);
  });

  it("says 'CAPTCHA user score failed. Please contact us!' when the score is below the site's floor", async () => {
    const { widget } = await rig.open(hostPath("captcha-low"));
    await post(widget, { body: unique("Low score comment"), score: "0.1" });
    await soon(() => widget.status.textContent()).toBe("CAPTCHA user score failed. Please contact us!");
  });

  it("shows a queued comment as awaiting moderation to its author only, also after a reload", async () => {
    const { page, widget } = await rig.open(hostPath("pending"));
    const text = unique("A comment that needs a moderator's look");
    await post(widget, { body: text, score: "0.5" });
    await soon(() => widget.status.textContent()).toBe("Your comment is awaiting moderation.");
    expect(await widget.comment(text).textContent()).toContain("Awaiting moderation");
    expect(await widget.heading.textContent()).toBe("0 comments");

    await page.reload();
    await widget.comment(text).waitFor();
    expect(await widget.comment(text).textContent()).toContain("Awaiting moderation");

    const other = await rig.open(hostPath("pending"));
    await soon(() => other.widget.heading.textContent()).toBe("0 comments");
    expect(await other.widget.comments.count()).toBe(0);
    expect((await rig.queue()).items.filter((item) => item.threadId === "pending")).toHaveLength(1);
  });

  it("replies to a comment and shows the reply nested under it", async () => {
    const parent = await rig.seed("replies", "The parent comment");
    const { page, widget } = await rig.open(hostPath("replies"));
    const parentItem = page.locator("li", { has: page.locator(`#comment-${parent.id}`) });
    await parentItem.getByRole("button", { name: "Reply" }).click();
    await page.getByText("Replying to Seeder").waitFor();
    expect(await isFocused(widget.body)).toBe(true);

    const text = unique("A reply to the parent");
    await post(widget, { body: text, name: "Replier" });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    await parentItem.locator("ol article", { hasText: text }).waitFor();
    expect(await page.getByText("Replying to Seeder").isVisible()).toBe(false);

    const stored = (await rig.thread("replies")).comments;
    expect(stored.find((c) => c.bodyHtml.includes("A reply to the parent"))?.parentId).toBe(parent.id);
  });

  it("nests replies up to a depth limit and flattens deeper ones, marked 'in reply to'", async () => {
    let parentId: string | null = null;
    for (let depth = 0; depth <= 5; depth++) {
      parentId = (await rig.seed("deep", `Depth ${depth}`, { parentId, author: { name: `Level ${depth}` } })).id;
    }
    const { widget } = await rig.open(hostPath("deep"));
    await soon(() => widget.comments.count()).toBe(6);
    const depthOf = (text: string) =>
      widget.comment(text).evaluate((article) => {
        let lists = 0;
        for (let node = article.parentElement; node; node = node.parentElement) if (node.tagName === "OL") lists++;
        return lists - 1;
      });
    expect([await depthOf("Depth 0"), await depthOf("Depth 1"), await depthOf("Depth 3"), await depthOf("Depth 4"), await depthOf("Depth 5")]).toEqual([0, 1, 3, 3, 3]);
    expect(await widget.comment("Depth 5").textContent()).toContain("in reply to Level 4");
    expect(await widget.comment("Depth 3").textContent()).not.toContain("in reply to");
  });

  it("links an author's name to their website with rel=nofollow ugc noopener noreferrer", async () => {
    await rig.seed("links", "From my blog", { author: { name: "Blogger", url: "https://blog.example/me" } });
    const { page } = await rig.open(hostPath("links"));
    const link = page.getByRole("link", { name: "Blogger" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe("https://blog.example/me");
    expect(await link.getAttribute("rel")).toBe("nofollow ugc noopener noreferrer");
  });

  it("loads older pages with 'Load more comments' until the thread is complete", async () => {
    for (let i = 1; i <= 5; i++) await rig.seed("paged", `Paged comment ${i}`);
    const { page, widget } = await rig.open(hostPath("paged", "&page-size=2"));
    await soon(() => widget.heading.textContent()).toBe("5 comments");
    expect(await widget.comments.count()).toBe(2);
    const more = page.getByRole("button", { name: "Load more comments" });
    await more.click();
    await soon(() => widget.comments.count()).toBe(4);
    await more.click();
    await soon(() => widget.comments.count()).toBe(5);
    expect(await more.isVisible()).toBe(false);
    const texts = await widget.comments.allInnerTexts();
    expect(texts.map((text) => /Paged comment (\d)/.exec(text)?.[1])).toEqual(["1", "2", "3", "4", "5"]);
    expect(await isFocused(widget.comment("Paged comment 5"))).toBe(true);
  });

  it("shows the rate limit with the wait the server gave in Retry-After", async () => {
    const { page, widget } = await rig.open("/test/host?site=tight&thread=rate");
    await post(widget, { body: unique("First is fine") });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    const answer = page.waitForResponse((response) => response.request().method() === "POST");
    await post(widget, { body: unique("Second is too soon") });
    const retryAfter = Number((await answer).headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    // The wait as English writes numbers: two posts either side of a minute's end meet the hour's limit, whose
    // wait runs to thousands of seconds ("3,541").
    const wait = new Intl.NumberFormat("en").format(retryAfter);
    await soon(() => widget.status.textContent()).toBe(`Too many comments. Please wait ${wait} second${retryAfter === 1 ? "" : "s"} and try again.`);
  });
});
