import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { soon, startWidgetRig } from "./widget-fixture.ts";

/**
 * What axe cannot see: every control reached with Tab shows a visible focus outline, every control is at
 * least 24 by 24 CSS pixels (WCAG 2.5.8), and nothing moves for a reader who asked for reduced motion.
 */

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig();
  const root = await rig.seed("a11y-keys", "A comment to reply to.");
  await rig.seed("a11y-keys", "A reply.", { parentId: root.id });
});
afterAll(async () => rig?.close());

/** The element with keyboard focus, looking through shadow roots, described by its outline and size. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
      name: element.getAttribute("name") ?? element.id ?? element.tagName,
      tag: element.tagName.toLowerCase(),
      outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      width: box.width,
      height: box.height,
      inWidget: element.getRootNode() instanceof ShadowRoot,
    };
  });

/** Presses Tab through the page once, collecting every stop until focus leaves or comes back around. */
async function tabStops(page: Page, limit = 40) {
  const stops: NonNullable<Awaited<ReturnType<typeof focused>>>[] = [];
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press("Tab");
    const stop = await focused(page);
    if (!stop) break;
    stops.push(stop);
  }
  return stops;
}

/** Every control's size (buttons, fields, selects; links inside text are exempt under WCAG 2.5.8). */
const controlSizes = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => element.getClientRects().length > 0 && !element.closest("[aria-hidden=true]"))
      .map((element) => {
        const box = element.getBoundingClientRect();
        return { control: `${element.tagName.toLowerCase()}:${element.textContent?.trim() || element.getAttribute("name") || element.id}`, width: box.width, height: box.height };
      }),
  );

const tooSmall = (sizes: { control: string; width: number; height: number }[]) => sizes.filter((size) => size.width < 24 || size.height < 24).map((size) => size.control);

describe("accessibility beyond axe: focus, target size, motion", () => {
  it("shows a focus outline on every widget control reached with Tab", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=a11y-keys");
    await soon(() => widget.heading.textContent()).toBe("2 comments");
    const stops = (await tabStops(page)).filter((stop) => stop.inWidget);
    expect(stops.map((stop) => stop.tag)).toEqual(expect.arrayContaining(["button", "textarea", "input", "select"]));
    expect(stops.filter((stop) => !stop.outline).map((stop) => stop.name)).toEqual([]);
  });

  it("makes every widget control at least 24 by 24 pixels", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=a11y-keys");
    await soon(() => widget.heading.textContent()).toBe("2 comments");
    const sizes = await controlSizes(page, "#comments button, #comments input, #comments select, #comments textarea");
    expect(sizes.length).toBeGreaterThan(5);
    expect(tooSmall(sizes)).toEqual([]);
  });

  it("shows a focus outline on every review page control reached with Tab, each at least 24 by 24 pixels", async () => {
    await fetch(`${rig.base}/v1/sites/demo/threads/a11y-review/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ author: { name: "Queued" }, body: "Waiting for review.", captchaToken: "test:0.5" }),
    });
    const { page } = await rig.open("/moderate");
    await page.getByLabel("Moderator key").fill("test-moderator-key");
    await page.keyboard.press("Enter");
    await page.locator(".item").first().waitFor();
    const stops = await tabStops(page);
    expect(stops.length).toBeGreaterThan(3);
    expect(stops.filter((stop) => !stop.outline).map((stop) => stop.name)).toEqual([]);
    expect(tooSmall(await controlSizes(page, "button, input, select"))).toEqual([]);
  });

  it("moves nothing for a reader who prefers reduced motion", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=a11y-keys", { reducedMotion: "reduce" });
    await soon(() => widget.heading.textContent()).toBe("2 comments");
    const moving = await page.locator("#comments").evaluate((host) =>
      [...host.shadowRoot!.querySelectorAll("*")]
        .map((element) => getComputedStyle(element))
        .filter((style) => style.animationName !== "none" || style.transitionDuration.split(",").some((d) => parseFloat(d) > 0)).length,
    );
    expect(moving).toBe(0);
  });
});
