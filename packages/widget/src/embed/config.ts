import { supportedLanguage, type Language } from "../i18n/languages.ts";

/** Light, dark, or following the reader's `prefers-color-scheme`. */
export type Theme = "auto" | "light" | "dark";

/** What one widget on the page shows and where it talks to. */
export interface WidgetConfig {
  site: string;
  thread: string;
  /** API origin (and optional path prefix) without a trailing slash. */
  api: string;
  /** From `data-lang`, else the nearest `lang` attribute (the host page's `<html lang>`), else English. */
  lang: Language;
  theme: Theme;
  pageSize: number;
}

/** A required attribute is missing or invalid; the message is shown in the page and the console. */
export class ConfigError extends Error {}

const siteIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;
// Same rule as the API: 1..200 printable characters.
const printable = /^[^\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]+$/u;

/** Reads `data-x` (or `x`, for the custom element) from the host element. */
export function attribute(host: Element, name: string): string | null {
  return host.getAttribute(`data-${name}`) ?? host.getAttribute(name);
}

/** A theme attribute value, or "auto" with a console warning when it is not one we know. */
export function readTheme(host: Element): Theme {
  const value = attribute(host, "theme") ?? "auto";
  if (value === "auto" || value === "light" || value === "dark") return value;
  console.warn(`Comments: data-theme="${value}" is not one of auto, light, dark; using auto.`);
  return "auto";
}

/**
 * Reads and checks the host element's attributes. A missing or bad `site`, `thread` or `api` throws a
 * {@link ConfigError}; a bad optional attribute (`lang`, `theme`, `page-size`) falls back with a warning.
 */
export function readConfig(host: Element, defaultApi: string): WidgetConfig {
  const site = attribute(host, "site");
  const thread = attribute(host, "thread");
  if (!site) throw new ConfigError('the data-site attribute is missing (for example data-site="demo").');
  if (!siteIdPattern.test(site)) throw new ConfigError(`data-site="${site}" is not a valid site id (lower-case letters, digits, - or _).`);
  if (!thread) throw new ConfigError('the data-thread attribute is missing (for example data-thread="2024/04/19/nato-isis").');
  if ([...thread].length > 200 || !printable.test(thread)) throw new ConfigError("data-thread must be 1 to 200 printable characters.");

  const rawApi = attribute(host, "api") ?? defaultApi;
  let api: string;
  try {
    const url = new URL(rawApi);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error();
    api = (url.origin + url.pathname).replace(/\/+$/, "");
  } catch {
    throw new ConfigError(`data-api="${rawApi}" is not an absolute http(s) URL.`);
  }

  const requested = attribute(host, "lang");
  let lang = supportedLanguage(requested ?? host.closest("[lang]")?.getAttribute("lang"));
  if (!lang) {
    if (requested) console.warn(`Comments: data-lang="${requested}" is not a language the widget speaks; using English.`);
    lang = "en";
  }

  const rawSize = attribute(host, "page-size");
  let pageSize = Number(rawSize ?? 50);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    console.warn(`Comments: data-page-size="${rawSize}" is not 1 to 100; using 50.`);
    pageSize = 50;
  }
  return { site, thread, api, lang, theme: readTheme(host), pageSize };
}
