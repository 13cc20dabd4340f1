import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { isFocused, soon, startWidgetRig, unique } from "./widget-fixture.ts";

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig();
});
afterAll(async () => rig?.close());

/** The focused element, looking through shadow roots: its name attribute, id, or tag and text. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute("name") ?? (element?.id || `${element?.tagName.toLowerCase()}:${element?.textContent?.trim()}`);
  });

/** Presses Tab until `name` has focus; returns every stop on the way. */
async function tabTo(page: Page, name: string): Promise<string[]> {
  const stops: string[] = [];
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press("Tab");
    stops.push(await focusedName(page));
    if (stops.at(-1) === name) return stops;
  }
  throw new Error(`Tab never reached ${name}; stops: ${stops.join(", ")}`);
}

describe("comment widget: accessibility and right-to-left", () => {
  it("posts a comment with the keyboard only, never stopping on the honeypot", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=keyboard");
    await soon(() => widget.heading.textContent()).toBe("0 comments");
    const stops = await tabTo(page, "body");
    const text = unique("Typed without a mouse");
    await page.keyboard.type(text);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Keyboard User");
    const rest = await tabTo(page, "button:Post comment");
    await page.keyboard.press("Enter");

    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    await widget.comment(text).waitFor();
    expect([...stops, ...rest]).not.toContain("website");
    expect(rest).toEqual(["email", "url", "cw-tc", "button:Post comment"]);
  });

  it("moves keyboard focus to the first invalid field and describes the error there", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=keyboard-errors");
    await widget.heading.waitFor();
    await widget.submit.focus();
    await page.keyboard.press("Enter");
    await soon(() => isFocused(widget.body)).toBe(true);
    const description = await widget.body.evaluate((element) =>
      (element.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => (element.getRootNode() as ShadowRoot).getElementById(id)?.textContent ?? "")
        .join(" ")
        .trim(),
    );
    expect(description).toBe("Please enter your comment!");
    expect(await widget.status.getAttribute("aria-live")).toBe("polite");
  });

  it("opens and cancels a reply with the keyboard, returning focus to the Reply button", async () => {
    await rig.seed("keyboard-reply", "Reply to me by keyboard");
    const { page, widget } = await rig.open("/test/host?site=demo&thread=keyboard-reply");
    const reply = page.getByRole("button", { name: "Reply" });
    await reply.focus();
    await page.keyboard.press("Enter");
    await soon(() => isFocused(widget.body)).toBe(true);
    expect(await reply.getAttribute("aria-expanded")).toBe("true");
    await page.getByRole("button", { name: "Cancel" }).focus();
    await page.keyboard.press("Enter");
    await soon(() => isFocused(reply)).toBe(true);
    expect(await reply.getAttribute("aria-expanded")).toBe("false");
  });

  it("replies to a comment with the keyboard only: Reply, type, Tab to Post comment, Enter", async () => {
    await rig.seed("keyboard-reply-post", "Answer me by keyboard");
    const { page, widget } = await rig.open("/test/host?site=demo&thread=keyboard-reply-post");
    await soon(() => widget.heading.textContent()).toBe("1 comment");
    await tabTo(page, "button:Reply");
    await page.keyboard.press("Enter");
    await soon(() => isFocused(widget.body)).toBe(true);
    const text = unique("A keyboard reply");
    await page.keyboard.type(text);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Keyboard Replier");
    await tabTo(page, "button:Post comment");
    await page.keyboard.press("Enter");

    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    const reply = widget.comment(text);
    await reply.waitFor();
    // Nested under the comment it answers, and focus lands on the new reply.
    expect(await reply.evaluate((article) => article.closest("ol")?.closest("li")?.textContent?.includes("Answer me by keyboard"))).toBe(true);
    await soon(() => isFocused(reply)).toBe(true);
  });

  it("labels every field, ties the email hint to it and hides the honeypot from people", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=labels");
    for (const field of [widget.body, widget.name, widget.email, widget.website, widget.score]) await field.waitFor();
    expect(await widget.email.getAttribute("aria-describedby")).toContain("cw-email-h");
    expect(await page.getByText("Never published.").getAttribute("id")).toBe("cw-email-h");
    const honeypot = page.locator("input[name=website]");
    expect(await honeypot.getAttribute("tabindex")).toBe("-1");
    expect(await honeypot.getAttribute("autocomplete")).toBe("off");
    expect(await honeypot.evaluate((input) => input.closest("[aria-hidden=true]") !== null)).toBe(true);
    const box = await honeypot.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(0);
  });

  it("switches the demo article's comments to Pashto with its language switcher, right to left, numbers as the browser writes Pashto", async () => {
    const { page } = await rig.open("/");
    await page.getByLabel("Comment language:").selectOption("ps");
    await page.waitForURL(/\?lang=ps/);
    const host = page.locator("#comments");
    await host.scrollIntoViewIfNeeded();
    const zero = await page.evaluate(() => new Intl.NumberFormat("ps").format(0));
    await soon(() => host.getByRole("heading", { level: 2 }).textContent()).toBe(`${zero} تبصرې`);
    expect(await host.locator(".cw").getAttribute("dir")).toBe("rtl");
    expect(await host.locator(".cw").getAttribute("lang")).toBe("ps");
    await host.getByRole("button", { name: "تبصره ولېږئ" }).waitFor();
  });

  it("shows the Persian page right to left, in Persian, and posts from it", async () => {
    const { page } = await rig.open("/fa");
    const host = page.locator("#comments");
    await host.scrollIntoViewIfNeeded();
    const widget = {
      heading: host.getByRole("heading", { level: 2 }),
      body: host.getByLabel("دیدگاه", { exact: true }),
      name: host.getByLabel("نام", { exact: true }),
      submit: host.getByRole("button", { name: "فرستادن دیدگاه" }),
      status: host.getByRole("status"),
    };
    await soon(() => widget.heading.textContent()).toBe("۰ دیدگاه");
    const shell = host.locator(".cw");
    expect(await shell.getAttribute("dir")).toBe("rtl");
    expect(await shell.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");

    // Right to left: the submit button and the label text start at the right edge of the form.
    const form = (await host.locator("form").boundingBox())!;
    const button = (await widget.submit.boundingBox())!;
    const labelText = await host.locator("label[for=cw-body]").evaluate((label) => {
      const range = document.createRange();
      range.selectNodeContents(label);
      const box = range.getBoundingClientRect();
      return { x: box.x, width: box.width };
    });
    const formRight = form.x + form.width;
    expect(Math.abs(formRight - (button.x + button.width))).toBeLessThan(2);
    expect(button.x).toBeGreaterThan(form.x + form.width / 2);
    expect(Math.abs(formRight - (labelText.x + labelText.width))).toBeLessThan(2);
    expect(labelText.x).toBeGreaterThan(form.x + form.width / 2);

    await widget.submit.click();
    await host.getByText("لطفاً دیدگاه خود را بنویسید!").waitFor();
    await host.getByText("لطفاً نام خود را اینجا وارد کنید").waitFor();

    const text = unique("سپاس از گزارش روشن شما");
    await widget.body.fill(text);
    await widget.name.fill("زهرا");
    await host.getByLabel("امتیاز کپچا (آزمایشی)").selectOption("0.9");
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("دیدگاه شما منتشر شد.");
    await host.locator("article", { hasText: text }).waitFor();
    expect(await widget.heading.textContent()).toBe("۱ دیدگاه");
  });
});
