import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startReceiver, type HttpReceiver } from "../support/http-receiver.ts";
import { roomySite, soon, startWidgetRig, unique } from "./widget-fixture.ts";

// The provider's siteverify endpoint is a real local HTTP server; the provider's browser script (which the
// widget loads from the provider's domain) is a small stand-in served through Chromium's request routing.
const recaptchaStandIn = `window.grecaptcha = {
  ready(callback) { setTimeout(callback, 0); },
  execute(siteKey, options) {
    window.__executed = (window.__executed || []).concat([[siteKey, options.action]]);
    return Promise.resolve("recaptcha-token-for-" + options.action);
  },
};`;

const turnstileStandIn = `window.turnstile = {
  render(element, options) {
    const box = document.createElement("div");
    box.textContent = "Turnstile stand-in";
    element.append(box);
    window.__rendered = options;
    return "widget-1";
  },
  getResponse() { return "turnstile-token"; },
  reset() { window.__resets = (window.__resets || 0) + 1; },
};`;

let rig: Awaited<ReturnType<typeof startWidgetRig>>;
let verifier: HttpReceiver;

beforeAll(async () => {
  verifier = await startReceiver((request) => {
    const token = new URLSearchParams(request.body).get("response");
    if (token === "recaptcha-token-for-comment") return { body: JSON.stringify({ success: true, score: 0.9, action: "comment", hostname: "127.0.0.1" }) };
    if (token === "turnstile-token") return { body: JSON.stringify({ success: true, action: "comment", hostname: "127.0.0.1" }) };
    return { body: JSON.stringify({ success: false, "error-codes": ["invalid-input-response"] }) };
  });
  rig = await startWidgetRig({
    env: { RECAPTCHA_SECRET: "recaptcha-secret", TURNSTILE_SECRET: "turnstile-secret" },
    sites: (port) => [
      roomySite(port, { id: "recap", captcha: { provider: "recaptcha-v3", siteKey: "recap-site-key", secretEnv: "RECAPTCHA_SECRET", verifyUrl: verifier.url } }),
      roomySite(port, { id: "turn", captcha: { provider: "turnstile", siteKey: "turn-site-key", secretEnv: "TURNSTILE_SECRET", verifyUrl: verifier.url } }),
    ],
  });
});
afterAll(async () => {
  await rig?.close();
  await verifier?.close();
});

async function serveProviderScripts(page: Page) {
  const loaded: string[] = [];
  await page.route("https://www.google.com/recaptcha/**", (route) => {
    loaded.push(route.request().url());
    return route.fulfill({ contentType: "text/javascript", body: recaptchaStandIn });
  });
  await page.route("https://challenges.cloudflare.com/**", (route) => {
    loaded.push(route.request().url());
    return route.fulfill({ contentType: "text/javascript", body: turnstileStandIn });
  });
  return loaded;
}

describe("comment widget: real captcha providers", () => {
  it("loads reCAPTCHA v3 only once the reader starts writing, and posts with execute(siteKey, {action: 'comment'})", async () => {
    const { page, widget } = await rig.open("/test/host?site=recap&thread=recaptcha");
    const loaded = await serveProviderScripts(page);
    await page.reload();
    await soon(() => widget.heading.textContent()).toBe("0 comments");
    expect(loaded).toEqual([]);
    expect(await page.getByLabel("Captcha score (test provider)").count()).toBe(0);

    await widget.body.click();
    await soon(() => loaded.length).toBe(1);
    expect(new URL(loaded[0]!).searchParams.get("render")).toBe("recap-site-key");

    await widget.body.fill(unique("Verified by reCAPTCHA"));
    await widget.name.fill("Ann");
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(await page.evaluate(() => (window as unknown as { __executed: unknown }).__executed)).toEqual([["recap-site-key", "comment"]]);
    const verified = new URLSearchParams(verifier.requests.at(-1)!.body);
    expect([verified.get("secret"), verified.get("response")]).toEqual(["recaptcha-secret", "recaptcha-token-for-comment"]);
  });

  it("renders a Turnstile widget through a slot and sends its token", async () => {
    const { page, widget } = await rig.open("/test/host?site=turn&thread=turnstile");
    const loaded = await serveProviderScripts(page);
    await page.reload();
    await widget.body.click();
    await page.getByText("Turnstile stand-in").waitFor();
    expect(loaded).toHaveLength(1);
    expect(await page.evaluate(() => (window as unknown as { __rendered: unknown }).__rendered)).toMatchObject({ sitekey: "turn-site-key", action: "comment" });

    await widget.body.fill(unique("Verified by Turnstile"));
    await widget.name.fill("Ann");
    await widget.submit.click();
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(new URLSearchParams(verifier.requests.at(-1)!.body).get("response")).toBe("turnstile-token");
    expect(await page.evaluate(() => (window as unknown as { __resets: number }).__resets)).toBe(1);
  });
});
