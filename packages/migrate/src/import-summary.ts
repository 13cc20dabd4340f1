import type { CommentStatus } from "@comments/core";

/** What an import wrote and passed over (its own module, so the importer and its writer share it without a cycle). */
export interface ImportSummary {
  /** Threads that hold imported comments (new or already present). */
  threads: number;
  /** New comments by status. */
  imported: Record<CommentStatus, number>;
  /** Comments found already stored (an earlier run of the same import). */
  alreadyPresent: number;
  /** Source records not imported, by reason. */
  skipped: Record<string, number>;
  /** Replies whose parent is not in the import (or was skipped): imported as top-level comments. */
  orphanedReplies: number;
}
