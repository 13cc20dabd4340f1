import type { Store } from "@comments/store";
import { exportHeader, exportThreadLine } from "./json-format.ts";

/** What an export wrote. */
export interface ExportSummary {
  threads: number;
  comments: number;
}

/** Options for {@link exportSite}. */
export interface ExportOptions {
  store: Store;
  siteId: string;
  /** Receives the export text piece by piece; a returned promise is awaited (backpressure). */
  write: (text: string) => void | Promise<void>;
  now?: Date;
  /** Told when the thread list is known, and after each thread. */
  onProgress?: (event: { phase: "scanning"; scanned: number } | { phase: "threads"; done: number; total: number; comments: number }) => void;
}

/**
 * Writes every thread of a site with all its comments (every status) in the site export format (docs/data.md):
 * one thread per line, so the file can be read back as a stream. Finds the threads with one Scan of the table,
 * then reads each thread with one Query.
 */
export async function exportSite(options: ExportOptions): Promise<ExportSummary> {
  const { store, siteId } = options;
  const threadIds = await store.bulk.listThreadIds(siteId, (scanned) => options.onProgress?.({ phase: "scanning", scanned }));
  await options.write(exportHeader(siteId, options.now ?? new Date()));
  let comments = 0;
  for (const [index, threadId] of threadIds.entries()) {
    const { thread, comments: threadComments } = await store.bulk.readThread(siteId, threadId);
    await options.write(`${index === 0 ? "\n" : ",\n"}${exportThreadLine(thread, threadComments)}`);
    comments += threadComments.length;
    options.onProgress?.({ phase: "threads", done: index + 1, total: threadIds.length, comments });
  }
  await options.write("\n]}\n");
  return { threads: threadIds.length, comments };
}
