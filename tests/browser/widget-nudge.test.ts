import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerToken, ssoSecretEnv, ssoSecrets } from "../support/sso.ts";
import { isFocused, post, roomySite, soon, startWidgetRig, unique } from "./widget-fixture.ts";

/**
 * The widget's answers to a site that nudges (a comment whose language would be queued is first sent back
 * with a warning) and "Email me" for readers the host site signs in. Real server, real Chromium.
 */

const suspectWordsReason = "It uses words this site asks moderators to look at first.";
let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig({
    sites: (port) => [
      roomySite(port, { id: "nudge", moderation: { nudge: true, suspectWords: ["scandal"] } }),
      roomySite(port, { auth: { ssoSecretEnv } }),
    ],
    env: ssoSecrets,
  });
});
afterAll(async () => rig?.close());

describe("a nudge before a comment is queued for its language", () => {
  it("warns with the reasons, keeps the draft, Edit goes back to the comment, and Submit for review queues it", async () => {
    const { page, widget } = await rig.open("/test/host?site=nudge&thread=nudged");
    const posts: { key: string | undefined; acknowledged: unknown }[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/threads/nudged/comments"))
        posts.push({ key: request.headers()["idempotency-key"], acknowledged: (request.postDataJSON() as { acknowledgeNudge?: unknown }).acknowledgeNudge });
    });
    const body = unique("What a scandal this council is");
    await post(widget, { body });

    const warning = page.getByRole("alert").filter({ hasText: "Are you sure?" });
    await warning.waitFor();
    await expect(warning.textContent()).resolves.toContain("The language in this comment might break our community guidelines.");
    await expect(warning.getByRole("listitem").allTextContents()).resolves.toEqual([suspectWordsReason]);
    // Nothing stored yet, and the reader's words are still in the form.
    expect((await rig.queue("nudge")).items.filter((item) => item.threadId === "nudged")).toEqual([]);
    await expect(widget.body.inputValue()).resolves.toBe(body);

    await warning.getByRole("button", { name: "Edit" }).click();
    await soon(() => isFocused(widget.body)).toBe(true);

    // The buttons are reached from the keyboard: back from the field, then Enter on "Submit for review".
    const review = warning.getByRole("button", { name: "Submit for review" });
    await review.focus();
    await page.keyboard.press("Enter");
    await soon(() => widget.status.textContent()).toBe("Your comment is awaiting moderation.");
    await soon(() => warning.isVisible()).toBe(false);
    await expect(widget.body.inputValue()).resolves.toBe("");
    await soon(async () => (await rig.queue("nudge")).items.filter((item) => item.threadId === "nudged").length).toBe(1);
    // The same post, sent again acknowledged and under the key the nudge released.
    expect(posts.map((p) => p.acknowledged)).toEqual([undefined, true]);
    expect(posts[1]!.key).toBe(posts[0]!.key);
    expect(posts[0]!.key).toBeTruthy();
  });

  it("lets a comment without suspect words through with no warning", async () => {
    const { page, widget } = await rig.open("/test/host?site=nudge&thread=calm");
    await post(widget, { body: unique("A calm remark about the council") });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    await expect(page.getByRole("alert").filter({ hasText: "Are you sure?" }).count()).resolves.toBe(0);
  });
});

describe("Email me for a signed-in reader", () => {
  it("can be ticked without an email field: the address comes from the sign-in", async () => {
    const token = await readerToken({ sub: "mail-reader", name: "Mary Somerville", email: "mary@example.com" });
    const { page, widget } = await rig.open(`/test/host?site=demo&thread=notify-signed-in&sso-token=${encodeURIComponent(token)}`);
    await page.getByText("Signed in as Mary Somerville").waitFor();
    const emailMe = page.getByRole("checkbox", { name: "Email me" });
    await soon(() => emailMe.isEnabled()).toBe(true);
    await emailMe.check();
    await widget.body.fill(unique("Tell me about replies"));
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
  });

  it("says on the checkbox when the sign-in carries no email address", async () => {
    const token = await readerToken({ sub: "no-mail-reader", name: "Charles Babbage" });
    const { page, widget } = await rig.open(`/test/host?site=demo&thread=notify-no-email&sso-token=${encodeURIComponent(token)}`);
    await page.getByText("Signed in as Charles Babbage").waitFor();
    const emailMe = page.getByRole("checkbox", { name: "Email me" });
    await emailMe.check();
    await widget.body.fill(unique("Tell me, though I have no address"));
    await widget.submit.click();
    await page.getByText("Your sign-in has no email address, so we cannot email you.").waitFor();
    await expect(emailMe.getAttribute("aria-invalid")).resolves.toBe("true");
    await soon(() => isFocused(emailMe)).toBe(true);
  });
});
