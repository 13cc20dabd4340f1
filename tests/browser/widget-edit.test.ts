import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { readerToken, ssoSecretEnv, ssoSecrets } from "../support/sso.ts";
import { post, roomySite, soon, startWidgetRig, unexpectedErrors, unique, widgetOf } from "./widget-fixture.ts";

/**
 * A reader changes their own words: Edit and Delete while the edit window is open (with its countdown), edits in
 * place with the form's own messages, "edited" on edited comments, the queue when an edit trips a check,
 * placeholders for deleted comments with replies, and a signed-in author's Delete after the window.
 */

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig({ sites: (port) => [roomySite(port, { auth: { ssoSecretEnv } })], env: ssoSecrets });
});
afterAll(async () => rig?.close());

/** Posts as a guest from the page and waits until the comment is shown. */
async function postAndWait(widget: ReturnType<typeof widgetOf>, body: string) {
  await post(widget, { body });
  await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
  return widget.comment(body);
}

/** The focused element, looking through shadow roots: its id, or tag and text. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.id || `${element?.tagName.toLowerCase()}:${element?.textContent?.trim()}`;
  });

/** Presses `key` until `name` has focus. */
async function pressTo(page: Page, name: string, key = "Tab"): Promise<void> {
  const stops: string[] = [];
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(key);
    stops.push(await focusedName(page));
    if (stops.at(-1) === name) return;
  }
  throw new Error(`${key} never reached ${name}; stops: ${stops.join(", ")}`);
}

const timerText = (page: Page, body: string) => widgetOf(page).comment(body).getByRole("timer").textContent();

describe("editing and deleting one's own comment", () => {
  it("edits a comment in place within the window, counting down, with the form's messages, and marks it edited", async () => {
    const { page, widget, trouble } = await rig.open("/test/host?site=demo&thread=edit-guest");
    const body = unique("First words");
    const comment = await postAndWait(widget, body);
    const first = await timerText(page, body);
    expect(first).toMatch(/^Editable for 1?\d:\d\d$/);
    // The countdown runs: it shows a different time once a second has passed.
    await soon(() => timerText(page, body)).not.toBe(first);

    await comment.getByRole("button", { name: "Edit" }).click();
    const editor = comment.getByLabel("Edit your comment");
    expect(await editor.inputValue()).toBe(body);
    await editor.fill("   ");
    await comment.getByRole("button", { name: "Save changes" }).click();
    await comment.getByText("Please enter your comment!").waitFor();
    expect(await editor.getAttribute("aria-invalid")).toBe("true");

    const changed = unique("Better words");
    await editor.fill(changed);
    await comment.getByRole("button", { name: "Save changes" }).click();
    await soon(() => widget.status.textContent()).toBe("Your changes have been saved.");
    const edited = widget.comment(changed);
    await edited.getByText("edited", { exact: true }).waitFor();
    expect((await rig.thread("edit-guest")).comments.map((c) => c.bodyHtml)).toEqual([`<p>${changed}</p>`]);

    // The edit token stays on this device: after a reload the reader can still edit.
    await page.reload();
    await widgetOf(page).comment(changed).getByRole("button", { name: "Edit" }).waitFor();
    expect(unexpectedErrors(trouble.errors)).toEqual([]);
  });

  it("tells the reader when an edit goes back to the moderation queue", async () => {
    const { widget } = await rig.open("/test/host?site=demo&thread=edit-queued");
    const body = unique("Plain words");
    const comment = await postAndWait(widget, body);
    await soon(() => widget.heading.textContent()).toBe("1 comment");
    await comment.getByRole("button", { name: "Edit" }).click();
    // Three links are over the site's limit of two: the edited comment waits for a moderator.
    const linked = unique("See https://a.example https://b.example https://c.example");
    await comment.getByLabel("Edit your comment").fill(linked);
    await comment.getByRole("button", { name: "Save changes" }).click();
    await soon(() => widget.status.textContent()).toBe("Your edited comment is awaiting moderation.");
    await widget.comment("https://c.example").getByText("Awaiting moderation").waitFor();
    await soon(() => widget.heading.textContent()).toBe("0 comments");
    expect((await rig.thread("edit-queued")).comments).toEqual([]);
  });

  it("deletes after a confirmation: a comment without replies leaves, one with replies leaves a placeholder", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=edit-delete");
    const alone = unique("Nobody answered this");
    const answered = unique("Somebody answered this");
    await postAndWait(widget, alone);
    const parent = await postAndWait(widget, answered);
    const parentId = (await parent.getAttribute("id"))!.slice("comment-".length);
    await rig.seed("edit-delete", "A reply that stays", { parentId });
    await page.reload();
    await soon(() => widget.heading.textContent()).toBe("3 comments");

    // Cancel keeps the comment.
    await widget.comment(alone).getByRole("button", { name: "Delete" }).click();
    await widget.comment(alone).getByText("Delete this comment?").waitFor();
    await widget.comment(alone).getByRole("button", { name: "Cancel" }).click();
    await widget.comment(alone).getByRole("button", { name: "Edit" }).waitFor();

    await widget.comment(alone).getByRole("button", { name: "Delete" }).click();
    await widget.comment(alone).getByRole("button", { name: "Delete" }).click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been deleted.");
    await soon(() => widget.comment(alone).count()).toBe(0);
    await soon(() => widget.heading.textContent()).toBe("2 comments");

    await widget.comment(answered).getByRole("button", { name: "Delete" }).click();
    await widget.comment(answered).getByRole("button", { name: "Delete" }).click();
    await page.locator(`#comments`).getByText("This comment was deleted.").waitFor();
    await widget.comment("A reply that stays").waitFor();
    await soon(() => widget.heading.textContent()).toBe("1 comment");

    // Others see the same after a reload: the placeholder, the reply, and nothing of the deleted words.
    await page.reload();
    await page.locator("#comments").getByText("This comment was deleted.").waitFor();
    await expect(widget.comment(answered).count()).resolves.toBe(0);
    await expect(widget.comment(alone).count()).resolves.toBe(0);
  });

  it("closes the window on time: a guest's Edit and Delete go, a signed-in author keeps Delete", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=edit-window");
    const guestBody = unique("A guest's comment");
    await postAndWait(widget, guestBody);
    const token = await readerToken({ sub: "author-9", name: "Signed Author" });
    await page.locator("#comments").evaluate((host, t) => (host as HTMLElement & { login(token: string): void }).login(t), token);
    await page.getByText("Signed in as Signed Author").waitFor();
    const signedBody = unique("A signed-in comment");
    await widget.body.fill(signedBody);
    await widget.submit.click();
    await widget.comment(signedBody).getByRole("button", { name: "Edit" }).waitFor();

    // The page's clock moves past the 15-minute window (the server's clock does not need to).
    // The host page signs the reader in again after the reload, as a news site does on every page.
    await page.clock.install();
    await page.goto(`${rig.base}/test/host?site=demo&thread=edit-window&sso-token=${encodeURIComponent(token)}`);
    await page.getByText("Signed in as Signed Author").waitFor();
    await widgetOf(page).comment(signedBody).getByRole("timer").waitFor();
    await page.clock.fastForward("16:00");
    // The author's own controls (Reply, Like and Link stay for everyone).
    const ownControls = (body: string) => widgetOf(page).comment(body).getByRole("button").allTextContents().then((names) => names.filter((name) => name === "Edit" || name === "Delete"));
    await soon(() => ownControls(guestBody)).toEqual([]);
    await soon(() => ownControls(signedBody)).toEqual(["Delete"]);
    await expect(widgetOf(page).comment(signedBody).getByRole("timer").count()).resolves.toBe(0);
  });

  it("edits with the keyboard only: Edit, the text, Save changes, focus back on the comment", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=edit-keyboard");
    const body = unique("Typo in thsi comment");
    const comment = await postAndWait(widget, body);
    const id = (await comment.getAttribute("id"))!;
    await pressTo(page, "button:Edit", "Shift+Tab");
    await page.keyboard.press("Enter");
    expect(await focusedName(page)).toBe(`cw-ed-${id.slice("comment-".length)}`);
    await page.keyboard.press("ControlOrMeta+A");
    const fixed = unique("No typo in this comment");
    await page.keyboard.type(fixed);
    await pressTo(page, "button:Save changes");
    await page.keyboard.press("Enter");
    await soon(() => widget.status.textContent()).toBe("Your changes have been saved.");
    await soon(() => focusedName(page)).toBe(id);
    await widget.comment(fixed).getByText("edited", { exact: true }).waitFor();
  });
});
