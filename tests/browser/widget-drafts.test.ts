import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, Route } from "playwright-core";
import { post, roomySite, soon, startWidgetRig, unique } from "./widget-fixture.ts";

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

// The duplicate-comment check is off, so only the Idempotency-Key can keep a retry from storing twice.
beforeAll(async () => {
  rig = await startWidgetRig({ sites: (port) => [roomySite(port, { moderation: { duplicateWindowMinutes: 0 } })] });
});
afterAll(async () => rig?.close());

const hostPath = (thread: string) => `/test/host?site=demo&thread=${encodeURIComponent(thread)}`;

/** Intercepts the widget's comment POSTs; `handle` decides each one (by 0-based index). */
async function interceptPosts(page: Page, handle: (route: Route, index: number) => Promise<void>) {
  const keys: string[] = [];
  await page.route("**/v1/sites/*/threads/*/comments", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    keys.push(route.request().headers()["idempotency-key"] ?? "");
    await handle(route, keys.length - 1);
  });
  return keys;
}

async function storedWith(thread: string, text: string) {
  const page = await rig.thread(thread);
  return { count: page.thread.commentCount, matching: page.comments.filter((c) => c.bodyHtml.includes(text)).length };
}

describe("comment widget: never losing a comment", () => {
  it("retries a post whose request never reached the server and stores it exactly once", async () => {
    const { page, widget } = await rig.open(hostPath("dropped-request"));
    const keys = await interceptPosts(page, (route, index) => (index === 0 ? route.abort("connectionreset") : route.continue()));
    const text = unique("Sent on a flaky connection");
    await post(widget, { body: text });

    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await storedWith("dropped-request", text)).toEqual({ count: 1, matching: 1 });
    expect(await widget.comment(text).count()).toBe(1);
  });

  it("retries a post whose answer was lost after the server stored it, without a duplicate", async () => {
    const { page, widget } = await rig.open(hostPath("lost-answer"));
    const keys = await interceptPosts(page, async (route, index) => {
      if (index > 0) return route.continue();
      await route.fetch(); // the server stores the comment…
      await route.abort("connectionreset"); // …but the reader never hears back
    });
    const text = unique("Stored but unanswered");
    await post(widget, { body: text });

    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await storedWith("lost-answer", text)).toEqual({ count: 1, matching: 1 });
    expect(await widget.comment(text).count()).toBe(1);
    expect(await widget.heading.textContent()).toBe("1 comment");
  });

  it("retries when the service answers 503, then succeeds with the same key", async () => {
    const { page, widget } = await rig.open(hostPath("unavailable"));
    const keys = await interceptPosts(page, (route, index) =>
      index === 0
        ? route.fulfill({
            status: 503,
            headers: { "content-type": "application/json", "retry-after": "1" },
            body: JSON.stringify({ error: { code: "unavailable", message: "The comment store is busy. Please try again shortly." } }),
          })
        : route.continue(),
    );
    const text = unique("Posted while the store was busy");
    await post(widget, { body: text });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(keys[1]).toBe(keys[0]);
    expect(await storedWith("unavailable", text)).toEqual({ count: 1, matching: 1 });
  });

  it("keeps an unanswered post with its draft across a reload and resends it with the same Idempotency-Key", async () => {
    const { page, widget } = await rig.open(hostPath("reload-resend"));
    const lostKeys = await interceptPosts(page, async (route, index) => {
      if (index === 0) await route.fetch(); // stored on the server, answer lost
      await route.abort("connectionreset");
    });
    const text = unique("Written just before the train entered a tunnel");
    await post(widget, { body: text, name: "Commuter" });
    await soon(() => lostKeys.length).toBeGreaterThan(0);

    await page.unrouteAll({ behavior: "ignoreErrors" });
    await page.reload();
    await soon(() => widget.status.textContent()).toBe("You have a comment that was not sent yet. Press “Post comment” to send it.");
    expect(await widget.body.inputValue()).toBe(text);
    expect(await widget.name.inputValue()).toBe("Commuter");

    const resentKeys = await interceptPosts(page, (route) => route.continue());
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(resentKeys).toEqual([lostKeys[0]]);
    expect(await storedWith("reload-resend", text)).toEqual({ count: 1, matching: 1 });
    expect(await widget.comment(text).count()).toBe(1);

    await page.reload();
    await widget.comment(text).waitFor();
    expect(await widget.body.inputValue()).toBe("");
  });

  it("saves the draft per thread as the reader types and remembers the author for the next thread", async () => {
    const { page, widget } = await rig.open(hostPath("draft-a"));
    await widget.body.fill("Half-written thought");
    await widget.name.fill("Drafty");
    await widget.email.fill("drafty@example.com");
    await page.reload();
    await soon(() => widget.body.inputValue()).toBe("Half-written thought");
    expect(await widget.name.inputValue()).toBe("Drafty");
    expect(await widget.email.inputValue()).toBe("drafty@example.com");

    await page.goto(rig.base + hostPath("draft-b"));
    await soon(() => widget.name.inputValue()).toBe("Drafty");
    expect(await widget.body.inputValue()).toBe("");
  });

  it("puts a reply in progress back under its comment after a reload", async () => {
    const parent = await rig.seed("draft-reply", "Answer me later");
    const { page, widget } = await rig.open(hostPath("draft-reply"));
    const parentItem = page.locator("li", { has: page.locator(`#comment-${parent.id}`) });
    await parentItem.getByRole("button", { name: "Reply" }).click();
    await widget.body.fill("My considered reply");
    await page.reload();
    await soon(() => parentItem.locator("textarea").inputValue()).toBe("My considered reply");
    expect(await page.getByText("Replying to Seeder").isVisible()).toBe(true);
    expect(await parentItem.getByRole("button", { name: "Reply" }).getAttribute("aria-expanded")).toBe("true");
  });
});
