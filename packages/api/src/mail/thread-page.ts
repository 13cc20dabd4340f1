import type { SiteConfig } from "@comments/core";
import type { Store } from "@comments/store";
import type { ThreadPage } from "./compose/thread.ts";

/**
 * The page a thread lives on, for mails and the subscription pages: the thread item's `url` and `title`
 * (written when the widget sends the page address, DESIGN §6.4), else none — mails then link the API's
 * permalink and name the site.
 */
export async function threadPageOf(store: Store, site: SiteConfig, threadId: string): Promise<ThreadPage> {
  const thread = (await store.getThread(site.id, threadId)) as { url?: unknown; title?: unknown };
  return {
    siteId: site.id,
    siteName: site.name,
    threadId,
    url: typeof thread.url === "string" && /^https?:\/\//.test(thread.url) ? thread.url : null,
    title: typeof thread.title === "string" ? thread.title : null,
  };
}
