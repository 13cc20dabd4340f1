/** What the page needs to know before it starts. */
export interface ReviewConfig {
  /** Base URL of the API, without a trailing slash. */
  api: string;
  /** True when the API base came from the URL (`?api=`), so the page shows it before asking for a key. */
  apiFromQuery: boolean;
  /** Article URL template with `{thread}` (and optionally `{site}`), or null. */
  threadUrl: string | null;
}

/** Raised when the page is configured wrongly; its message is shown as is. */
export class ReviewConfigError extends Error {}

/**
 * Reads the API base: `?api=` on the page URL, else `data-api` on the root element, else the page's origin.
 * `data-thread-url` (e.g. `https://news.example/{thread}`) turns thread ids into article links.
 */
export function readConfig(root: HTMLElement, location: Location): ReviewConfig {
  const fromQuery = new URLSearchParams(location.search).get("api");
  const raw = fromQuery ?? root.dataset.api ?? "";
  const api = raw.trim() === "" ? location.origin : raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(api, location.href);
  } catch {
    throw new ReviewConfigError(`The API address "${api}" is not a URL.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new ReviewConfigError(`The API address must be http(s), not ${parsed.protocol}`);
  const threadUrl = root.dataset.threadUrl?.includes("{thread}") ? root.dataset.threadUrl : null;
  return { api: `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, ""), apiFromQuery: fromQuery !== null, threadUrl };
}

/** The article link of a thread: the template if configured, the thread id itself if it is a URL, else null. */
export function articleUrl(config: ReviewConfig, siteId: string, threadId: string): string | null {
  if (config.threadUrl) {
    return config.threadUrl.replace("{site}", encodeURIComponent(siteId)).replace("{thread}", threadId.split("/").map(encodeURIComponent).join("/"));
  }
  return /^https?:\/\//i.test(threadId) ? threadId : null;
}
