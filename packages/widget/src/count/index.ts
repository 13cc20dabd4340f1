/**
 * count.js: fills every `<span data-comments-count data-site data-thread>` with "N comments", asking the API
 * once per site (at most 100 threads per request). The API base is this script's origin unless the script
 * or the element has `data-api`. The language is the element's `data-lang`, else its nearest `lang`
 * (English built in; another language's table loads on demand, the same file the widget uses).
 */
import { fill } from "../i18n/format.ts";
import { supportedLanguage } from "../i18n/languages.ts";
import type { PluralText } from "../i18n/messages.ts";
import { englishHeading } from "../locales/en-heading.ts";
import { loadLocale } from "../runtime.ts";

const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || location.href;
const defaultApi = script?.dataset.api ?? (script?.src ? new URL(script.src).origin : location.origin);
const maxThreads = 100;
// Keeps each request URL well under the limits of proxies and CDNs.
const maxQueryLength = 6000;

const languageOf = (element: HTMLElement) => supportedLanguage(element.dataset.lang ?? element.closest("[lang]")?.getAttribute("lang")) ?? "en";

/** "N comments" for each language on the page, loaded once per language. */
/** Where `heading` sits in a packed language table (English's first key; checked by the widget's locale tests). */
const headingIndex = 0;
const headings = new Map<string, Promise<[string, PluralText]>>();
function headingFor(lang: string): Promise<[string, PluralText]> {
  let heading = headings.get(lang);
  if (!heading) {
    heading = lang === "en" ? Promise.resolve(["en", englishHeading]) : loadLocale(lang, base).then((table) => (table ? [lang, table[headingIndex] as PluralText] : ["en", englishHeading]));
    headings.set(lang, heading);
  }
  return heading;
}

async function label(element: HTMLElement, count: number) {
  const [lang, forms] = await headingFor(languageOf(element));
  element.textContent = fill(forms[new Intl.PluralRules(lang).select(count)] ?? forms.other, { n: new Intl.NumberFormat(lang).format(count) });
  element.setAttribute("data-comments-count", String(count));
}

async function fillCounts(api: string, site: string, byThread: Map<string, HTMLElement[]>) {
  const threads = [...byThread.keys()];
  while (threads.length > 0) {
    const query = new URLSearchParams();
    while (threads.length > 0 && query.getAll("thread").length < maxThreads && query.toString().length < maxQueryLength) query.append("thread", threads.shift()!);
    try {
      const response = await fetch(`${api}/v1/sites/${encodeURIComponent(site)}/counts?${query}`, { credentials: "omit", cache: "no-cache" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { counts } = (await response.json()) as { counts: Record<string, number> };
      for (const [thread, count] of Object.entries(counts)) for (const element of byThread.get(thread) ?? []) await label(element, count);
    } catch (error) {
      console.error(`Comments: could not load comment counts for site "${site}" from ${api}.`, error);
    }
  }
}

function run() {
  const groups = new Map<string, Map<string, HTMLElement[]>>();
  for (const element of document.querySelectorAll<HTMLElement>("[data-comments-count]")) {
    const { site, thread } = element.dataset;
    if (!site || !thread) {
      console.error("Comments: a [data-comments-count] element needs data-site and data-thread.", element);
      continue;
    }
    const api = (element.dataset.api ?? defaultApi).replace(/\/+$/, "");
    const key = JSON.stringify([api, site]);
    const byThread = groups.get(key) ?? new Map<string, HTMLElement[]>();
    groups.set(key, byThread);
    byThread.set(thread, [...(byThread.get(thread) ?? []), element]);
  }
  for (const [key, byThread] of groups) {
    const [api, site] = JSON.parse(key) as [string, string];
    void fillCounts(api, site, byThread);
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
else run();
