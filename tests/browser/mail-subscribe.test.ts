import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { post, soon, startWidgetRig, unique } from "./widget-fixture.ts";

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

// The rig's local server has no SMTP_URL: mails go to the dev mailbox, shown at /dev/mail.
beforeAll(async () => {
  rig = await startWidgetRig();
});
afterAll(async () => rig?.close());

const reader = "reader@example.org";

/** The links of the last mail kept for `to` (read from the dev mailbox, as a newcomer would). */
async function lastMailTo(to: string) {
  await rig.server.mail.queue.idle();
  const kept = rig.server.mail.devMailbox!.list().find((mail) => mail.message.to === to);
  if (!kept) throw new Error(`no mail to ${to}`);
  const links = [...kept.message.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  return { kept, links };
}

describe("email me: the widget's choice, the confirmation and unsubscribe pages", () => {
  it("offers Email me only once an email is typed, and a post with it sends the confirmation mail", async () => {
    const { page, widget } = await rig.open(`/test/host?site=demo&thread=${encodeURIComponent("mail/subscribe")}`);
    const emailMe = page.getByRole("checkbox", { name: "Email me" });
    await expect(emailMe.isDisabled()).resolves.toBe(true);
    await expect(page.getByText("Enter your email to get emails").isVisible()).resolves.toBe(true);

    await widget.email.fill(reader);
    await soon(() => emailMe.isDisabled()).toBe(false);
    await expect(page.getByText("Enter your email to get emails").isVisible()).resolves.toBe(false);
    await emailMe.check();
    await page.locator("#cw-notify-kind").selectOption("thread");
    await post(widget, { body: unique("Please keep me posted") });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");

    const { kept } = await lastMailTo(reader);
    expect(kept.message.kind).toBe("confirmation");
    expect(kept.message.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("confirms on the linked page, and unsubscribes only when the page's button is pressed", async () => {
    const { links } = await lastMailTo(reader);
    const confirm = links.find((link) => link.includes("/subscriptions/confirm?"))!;
    const unsubscribe = links.find((link) => link.includes("/subscriptions/unsubscribe?"))!;
    const { page } = await rig.open("/dev/mail");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Dev mailbox");
    // `UPDATE_DOCS_SCREENSHOTS=1` refreshes the README's picture of the dev mailbox.
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      mkdirSync(join(import.meta.dirname, "../../docs"), { recursive: true });
      await page.screenshot({ path: join(import.meta.dirname, "../../docs/dev-mailbox.png"), fullPage: false });
    }

    await page.goto(confirm);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Subscription confirmed");

    await page.goto(unsubscribe);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Stop these emails?");
    await page.goto(unsubscribe);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Stop these emails?");
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await soon(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("You are unsubscribed");
  });
});
