import type { Translator } from "../i18n/format.ts";
import { loadScript } from "../runtime.ts";
import type { SiteSettings } from "./api.ts";
import { h } from "./dom.ts";

/** The captcha of one form. */
export interface Captcha {
  /** What the form shows: the test score chooser, or the slot the provider's widget renders into. */
  element: HTMLElement | null;
  /** Starts loading the provider's script; called when the reader first touches the form. */
  warm(): void;
  /** A token for one post; throws {@link CaptchaError} with a message for the reader. */
  token(): Promise<string>;
  /** Tokens are single-use: forget the used one. */
  reset(): void;
}

/** The captcha could not give a token; the message is for the reader. */
export class CaptchaError extends Error {}

interface WidgetApi {
  render(element: HTMLElement, options: Record<string, unknown>): string;
  getResponse(id: string): string | undefined;
  reset(id: string): void;
}
interface Recaptcha {
  ready(callback: () => void): void;
  execute(siteKey: string, options: { action: string }): Promise<string>;
}

const widgetProviders = {
  turnstile: { src: "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit", global: "turnstile", options: { action: "comment" } },
  hcaptcha: { src: "https://js.hcaptcha.com/1/api.js?render=explicit", global: "hcaptcha", options: {} },
} as const;

/**
 * The captcha a site is configured with: reCAPTCHA v3 (invisible, `execute` on submit), a Turnstile or
 * hCaptcha widget, or the local `test` provider's visible score chooser. Provider scripts load lazily.
 */
export function createCaptcha(settings: SiteSettings["captcha"], t: Translator, host: HTMLElement): Captcha {
  const { provider, siteKey } = settings;
  const global = (name: string) => (window as unknown as Record<string, unknown>)[name];
  const failed = (error: unknown): never => {
    console.error("Comments: captcha failed to load", error);
    throw new CaptchaError(t.text("captchaLoadFailed"));
  };

  if (provider === "test") {
    const select = h(
      "select",
      { id: "cw-tc" },
      ...["0.9", "0.5", "0.1"].map((score) => h("option", { value: score }, score)),
      h("option", { value: "fail" }, t.text("testCaptchaFail")),
    );
    return {
      element: h("p", { class: "tc" }, h("label", { for: "cw-tc" }, t.text("testCaptcha")), " ", select),
      warm() {},
      token: async () => `test:${select.value}`,
      reset() {},
    };
  }

  if (!siteKey) console.error(`Comments: the site's captcha provider "${provider}" has no siteKey configured.`);

  if (provider === "recaptcha-v3") {
    const ready = () =>
      loadScript(`https://www.google.com/recaptcha/api.js?render=${encodeURIComponent(siteKey ?? "")}`).then(
        () => new Promise<Recaptcha>((done) => (global("grecaptcha") as Recaptcha).ready(() => done(global("grecaptcha") as Recaptcha))),
      );
    return {
      element: null,
      warm: () => void ready().catch(() => undefined),
      async token() {
        const recaptcha = await ready().catch(failed);
        return recaptcha.execute(siteKey ?? "", { action: "comment" });
      },
      reset() {},
    };
  }

  // Turnstile and hCaptcha render an iframe widget; it lives in the light DOM and shows through a slot.
  const config = widgetProviders[provider];
  const container = h("div", { slot: "captcha" });
  host.append(container);
  let rendered: Promise<[WidgetApi, string]> | null = null;
  const render = () =>
    (rendered ??= loadScript(config.src).then(() => {
      const api = global(config.global) as WidgetApi;
      return [api, api.render(container, { sitekey: siteKey, ...config.options })];
    }));
  return {
    element: h("div", { class: "cap" }, h("slot", { name: "captcha" })),
    warm: () =>
      void render().catch(() => {
        rendered = null;
      }),
    async token() {
      const [api, id] = await render().catch((error: unknown) => {
        rendered = null;
        return failed(error);
      });
      const token = api.getResponse(id);
      if (!token) throw new CaptchaError(t.text("captchaMissing"));
      return token;
    },
    reset() {
      void rendered?.then(([api, id]) => api.reset(id));
    },
  };
}
