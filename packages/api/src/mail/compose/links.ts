/** Where a mail's links point and who it comes from. */
export interface MailSetup {
  /** `MAIL_FROM`, e.g. `Comments <comments@news.example>`. */
  from: string;
  /** The public origin of the API (confirm and unsubscribe links), e.g. `https://comments.news.example`. */
  apiBaseUrl: string;
}

/**
 * An absolute link to the API: base + path + query. Only opaque values go into it (ids, tokens); the
 * builders never put an email address in a URL.
 * @example apiLink("https://c.example", "/v1/sites/demo/subscriptions/confirm", { token }) // "https://c.example/v1/…?token=…"
 */
export function apiLink(apiBaseUrl: string, path: string, query: Record<string, string> = {}): string {
  const base = new URL(apiBaseUrl);
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error("apiBaseUrl must be an http(s) URL");
  const url = new URL(`${base.pathname.replace(/\/$/, "")}${path}`, base.origin);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

/** The double opt-in link: `GET /v1/sites/{siteId}/subscriptions/confirm?token=…`. */
export function confirmLink(apiBaseUrl: string, siteId: string, token: string): string {
  return apiLink(apiBaseUrl, `/v1/sites/${encodeURIComponent(siteId)}/subscriptions/confirm`, { token });
}

/** The unsubscribe link: `GET` shows a page with a button, `POST` unsubscribes at once (RFC 8058). */
export function unsubscribeLink(apiBaseUrl: string, siteId: string, token: string): string {
  return apiLink(apiBaseUrl, `/v1/sites/${encodeURIComponent(siteId)}/subscriptions/unsubscribe`, { token });
}

/** The headers of a mail that belongs to a subscription: one-click unsubscribe (RFC 2369 + RFC 8058). */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** The first `max` characters of a text on one line, with an ellipsis when cut (never inside a character). */
export function excerpt(text: string, max: number): string {
  const flat = text.trim().replace(/\s+/g, " ");
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join("").trimEnd()}…` : flat;
}
