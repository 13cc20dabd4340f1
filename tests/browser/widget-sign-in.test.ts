import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerToken, ssoSecretEnv, ssoSecrets } from "../support/sso.ts";
import { post, roomySite, soon, startWidgetRig, unexpectedErrors, unique } from "./widget-fixture.ts";

/**
 * Readers the host site signs in: from the `data-sso-token` attribute or `element.login()` at any time, posting
 * without name, email or captcha, their comments marked verified (and staff); back to the guest form, told why,
 * when the server refuses the token. Real server, real Chromium.
 */

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig({
    sites: (port) => [
      roomySite(port, { auth: { ssoSecretEnv } }),
    ],
    env: ssoSecrets,
    pages: { login: "<!doctype html><html lang=en><head><title>Log in</title></head><body><h1>Log in to The Daily Demo</h1></body></html>" },
  });
});
afterAll(async () => rig?.close());

const hostOf = (page: import("playwright-core").Page) => page.locator("#comments");

describe("a reader signed in by the host site", () => {
  it("posts from a data-sso-token without name or captcha, and the comment shows the verified mark, the staff badge and the avatar's fallback", async () => {
    const token = await readerToken({ sub: "staff-1", name: "Ada Lovelace", role: "staff", avatar: "https://avatars.invalid/ada.png" });
    const { page, widget, trouble } = await rig.open(`/test/host?site=demo&thread=sso-post&sso-token=${encodeURIComponent(token)}`);
    await page.getByText("Signed in as Ada Lovelace").waitFor();
    await expect(widget.name.isVisible()).resolves.toBe(false);
    await expect(widget.score.isVisible()).resolves.toBe(false);
    await expect(page.getByRole("button", { name: "Sign out" }).isVisible()).resolves.toBe(true);

    const body = unique("Signed-in comment");
    await widget.body.fill(body);
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    const comment = widget.comment(body);
    await expect(comment.getByRole("img", { name: "Verified reader" }).isVisible()).resolves.toBe(true);
    await expect(comment.getByText("Staff", { exact: true }).isVisible()).resolves.toBe(true);
    // The avatar's host does not resolve: the name's initial takes its place.
    await soon(() => comment.locator(".av").textContent()).toBe("A");

    const stored = (await rig.thread("sso-post")).comments.find((c) => c.bodyHtml.includes("Signed-in comment"))!;
    expect(stored.author).toMatchObject({ name: "Ada Lovelace", verified: true, badge: "staff" });
    // Chromium reports the avatar it could not fetch; nothing else may go wrong.
    expect(unexpectedErrors(trouble.errors).filter((text) => !text.includes("ERR_NAME_NOT_RESOLVED"))).toEqual([]);
  });

  it("signs in with element.login() and out with element.logout() and the Sign out button, without reloading the page", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=sso-switch");
    await widget.name.waitFor();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const token = await readerToken({ sub: "reader-7", name: "Grace Hopper" });
    await hostOf(page).evaluate((host, t) => (host as HTMLElement & { login(token: string): void }).login(t), token);
    await page.getByText("Signed in as Grace Hopper").waitFor();
    await soon(() => widget.name.isVisible()).toBe(false);
    const body = unique("Posted after login()");
    await widget.body.fill(body);
    await widget.submit.click();
    await widget.comment(body).getByRole("img", { name: "Verified reader" }).waitFor();

    await hostOf(page).evaluate((host) => (host as HTMLElement & { logout(): void }).logout());
    await widget.name.waitFor();
    await expect(page.getByText("Signed in as Grace Hopper").count()).resolves.toBe(0);

    // The Sign out button does the same and tells the host page, which may end its own session.
    await hostOf(page).evaluate((host, t) => {
      host.addEventListener("comments:logout", () => ((window as unknown as { loggedOut: boolean }).loggedOut = true));
      (host as HTMLElement & { login(token: string): void }).login(t);
    }, token);
    await page.getByRole("button", { name: "Sign out" }).click();
    await widget.name.waitFor();
    expect(await page.evaluate(() => (window as unknown as { loggedOut?: boolean }).loggedOut)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it("offers a guest Sign in when the host names its login page: a cancelable comments:login event, else the login page", async () => {
    const { page } = await rig.open(`/test/host?site=demo&thread=sso-login&login-url=${encodeURIComponent(`${rig.base}/test/login`)}`);
    const signIn = page.getByRole("button", { name: "Sign in" });
    await hostOf(page).evaluate((host) =>
      host.addEventListener("comments:login", (event) => {
        event.preventDefault();
        (window as unknown as { asked: number }).asked = ((window as unknown as { asked?: number }).asked ?? 0) + 1;
      }, { once: true }),
    );
    await signIn.click();
    expect(await page.evaluate(() => (window as unknown as { asked?: number }).asked)).toBe(1);
    expect(new URL(page.url()).pathname).toBe("/test/host");

    // Nobody cancels the second time: the reader goes to the site's login page.
    await signIn.click();
    await page.getByRole("heading", { name: "Log in to The Daily Demo" }).waitFor();
  });

  it("falls back to the guest form with a clear message when the server refuses the token, keeping the comment", async () => {
    const forged = await readerToken({ sub: "intruder", name: "Mallory" }, { key: "not-the-host-secret-0123456789abcd" });
    const { page, widget } = await rig.open(`/test/host?site=demo&thread=sso-refused&sso-token=${encodeURIComponent(forged)}`);
    await page.getByText("Signed in as Mallory").waitFor();
    const body = unique("Written while the token was bad");
    await widget.body.fill(body);
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your sign-in has expired or is not valid. You can still comment as a guest.");
    await widget.name.waitFor();
    await expect(page.getByText("Signed in as Mallory").count()).resolves.toBe(0);
    expect(await widget.body.inputValue()).toBe(body);
    expect((await rig.thread("sso-refused")).comments).toEqual([]);

    // The guest form works as ever.
    await post(widget, { body });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
  });

  it("never shows an expired or unreadable token as signed in", async () => {
    const expired = await readerToken({ exp: Math.floor(Date.now() / 1000) - 3600 });
    for (const token of [expired, "not-a-token"]) {
      const { page, widget } = await rig.open(`/test/host?site=demo&thread=sso-expired&sso-token=${encodeURIComponent(token)}`);
      await soon(() => widget.status.textContent()).toBe("Your sign-in has expired or is not valid. You can still comment as a guest.");
      await expect(widget.name.isVisible()).resolves.toBe(true);
      await expect(page.getByText("Signed in as").count()).resolves.toBe(0);
    }
  });
});
