import { AppError, messages, type SiteConfig } from "@comments/core";
import type { Gate } from "../gate-context.ts";

/** True when `closeAfterDays` is set and the thread's first comment is older than that. */
export function isThreadClosed(site: SiteConfig, firstCommentAt: string | null, now: Date): boolean {
  if (site.closeAfterDays === null || firstCommentAt === null) return false;
  return now.getTime() - new Date(firstCommentAt).getTime() > site.closeAfterDays * 86_400_000;
}

/** A closed thread takes no new comments: `409 thread_closed`. */
export const closedThreadGate: Gate = ({ site, reads, now }) => {
  if (reads.thread && isThreadClosed(site, reads.thread.firstCommentAt, now)) {
    throw new AppError("thread_closed", messages.threadClosed);
  }
};
