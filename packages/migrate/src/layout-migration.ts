import type { SiteConfig } from "@comments/core";
import type { Store } from "@comments/store";

/** What `migrateLayout` did. */
export interface LayoutMigrationSummary {
  threads: number;
  /** Comment items moved out of the old published range or given their root and placement. */
  commentsRewritten: number;
  /** Page items written or deleted. */
  pageItemsChanged: number;
}

/**
 * The one-off move of a table written by the release before sorting existed to the page-item layout of
 * `table.ts`: for every thread of every site, comment items leave the page range, each top-level comment gets
 * its page item (with its first 50 replies), and the thread item gets its place at the head of each order
 * (its counters recounted). Idempotent: run it again and it changes nothing. No comment is lost and no count
 * changes: page items are copies, built from the comment items.
 */
export async function migrateLayout(store: Store, sites: SiteConfig[], onThread?: (done: number, total: number) => void): Promise<LayoutMigrationSummary> {
  const summary: LayoutMigrationSummary = { threads: 0, commentsRewritten: 0, pageItemsChanged: 0 };
  for (const site of sites) {
    const threadIds = await store.bulk.listThreadIds(site.id);
    for (const threadId of threadIds) {
      // The layout pass, then the count from what it left (which also stamps the thread item with the heads of
      // the newest and top orders, a new page's first item; the version moves when anything moved).
      const { layout } = await store.bulk.recountThread(site.id, threadId);
      summary.threads++;
      summary.commentsRewritten += layout.commentsRewritten;
      summary.pageItemsChanged += layout.pageItemsChanged;
      onThread?.(summary.threads, threadIds.length);
    }
  }
  return summary;
}
