/** The page a thread lives on, as mails name and link it (§6.4: the thread keeps the latest page url and title). */
export interface ThreadPage {
  siteId: string;
  siteName: string;
  threadId: string;
  /** The article's absolute URL, when the widget sent one. */
  url: string | null;
  title: string | null;
}

/** What a mail calls the thread: its page title, else the site's name. */
export function threadName(thread: ThreadPage): string {
  return thread.title?.trim() || thread.siteName;
}

/**
 * An absolute link to a comment: on the article page when its address is known (and carries nothing that looks
 * like an email address, which a mail must never put in a URL), else the API's permalink
 * (`GET /v1/sites/{siteId}/comments/{id}`, which redirects to the page).
 */
export function commentLink(thread: ThreadPage, apiBaseUrl: string, commentId: string): string {
  if (thread.url && !safeDecode(thread.url).includes("@")) {
    const url = new URL(thread.url);
    url.hash = `comment-${commentId}`;
    return url.toString();
  }
  return new URL(`/v1/sites/${encodeURIComponent(thread.siteId)}/comments/${encodeURIComponent(commentId)}`, apiBaseUrl).toString();
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
