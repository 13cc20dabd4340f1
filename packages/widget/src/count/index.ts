/**
 * count.js: fills every `<span data-comments-count data-site data-thread>` with "N comments", asking the API
 * once per site (at most 100 threads per request). The API base is this script's origin unless the script
 * or the element has `data-api`.
 */
import { countLabels } from "../count-labels.ts";

const script = document.currentScript as HTMLScriptElement | null;
const defaultApi = script?.dataset.api ?? (script?.src ? new URL(script.src).origin : location.origin);
const maxThreads = 100;
// Keeps each request URL well under the limits of proxies and CDNs.
const maxQueryLength = 6000;

function labelFor(element: HTMLElement, count: number): string {
  const lang = (element.dataset.lang ?? element.closest("[lang]")?.getAttribute("lang") ?? "en").toLowerCase().split("-")[0]!;
  const label = countLabels[lang] ? lang : "en";
  return countLabels[label]!(new Intl.NumberFormat(label).format(count), count);
}

async function fill(api: string, site: string, byThread: Map<string, HTMLElement[]>) {
  const threads = [...byThread.keys()];
  while (threads.length > 0) {
    const query = new URLSearchParams();
    while (threads.length > 0 && query.getAll("thread").length < maxThreads && query.toString().length < maxQueryLength) query.append("thread", threads.shift()!);
    try {
      const response = await fetch(`${api}/v1/sites/${encodeURIComponent(site)}/counts?${query}`, { credentials: "omit", cache: "no-cache" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { counts } = (await response.json()) as { counts: Record<string, number> };
      for (const [thread, count] of Object.entries(counts)) {
        for (const element of byThread.get(thread) ?? []) {
          element.textContent = labelFor(element, count);
          element.setAttribute("data-comments-count", String(count));
        }
      }
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
    void fill(api, site, byThread);
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
else run();
