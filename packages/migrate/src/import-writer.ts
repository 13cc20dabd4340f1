import type { StoredComment } from "@comments/core";
import type { BulkStore } from "@comments/store";
import type { ImportSummary } from "./import-summary.ts";

/** Comments per BatchWriteItem call (DynamoDB's limit). */
const batchSize = 25;

/** What is known after a write failed, once every batch still running has ended. */
export interface FailureOutcome {
  /** Comments whose batch failed and whose presence could not be checked afterwards: written or not, unknown. */
  uncertain: number;
  /** Threads whose counters could not be recounted (the store failed again); a rerun recounts them. */
  countersLeft: number;
}

/** Options for {@link createImportWriter}. */
export interface ImportWriterOptions {
  bulk: BulkStore;
  siteId: string;
  /** Batches written at the same time. */
  concurrency: number;
  /** The `importedAt` attribute of every item written. */
  importedAt: string;
  /** Counts of what was written, updated as each batch succeeds (never before). */
  summary: ImportSummary;
  /** Called after each batch written. */
  onWritten?: () => void;
}

const countBy = (comments: StoredComment[]) => {
  const counts = new Map<string, number>();
  for (const comment of comments) counts.set(comment.threadId, (counts.get(comment.threadId) ?? 0) + 1);
  return counts;
};

/**
 * Writes imported comments in batches of 25, `concurrency` batches at a time, and keeps the store consistent as it
 * goes: a thread whose comments are all written (its scope ended, no batch of it still pending) is recounted at once,
 * so its `commentCount` matches what it shows while the import continues. The summary counts only comments
 * confirmed written. After a failure, {@link ImportWriter.settleAfterFailure} waits for running batches, finds out
 * which comments of failed batches made it, and recounts every thread written to.
 */
export function createImportWriter(options: ImportWriterOptions) {
  const { bulk, siteId, concurrency, importedAt, summary } = options;
  let batch: StoredComment[] = [];
  const inflight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  /** Per thread: comments handed to the writer and not yet confirmed written. */
  const outstanding = new Map<string, number>();
  /** Threads whose scope ended: recounted as soon as nothing of theirs is outstanding. */
  const ended = new Set<string>();
  /** Threads written to (or about to be) since their last recount. */
  const dirty = new Set<string>();
  /** Comments of batches whose write failed: they may or may not be stored. */
  const unsure: StoredComment[] = [];
  const authorsPublished = new Map<string, number>();

  function counted(comment: StoredComment) {
    summary.imported[comment.status]++;
    if (comment.status === "published" && comment.authorHash !== "") {
      authorsPublished.set(comment.authorHash, (authorsPublished.get(comment.authorHash) ?? 0) + 1);
    }
  }

  async function recount(threadId: string) {
    dirty.delete(threadId);
    try {
      await bulk.recountThread(siteId, threadId);
    } catch (error) {
      dirty.add(threadId);
      throw error;
    }
  }

  /** Runs a task once fewer than `concurrency` run; the first failure stops everything that follows. */
  async function startTask(run: () => Promise<void>) {
    while (inflight.size >= concurrency) await Promise.race(inflight);
    if (failure) throw failure.error;
    const task: Promise<void> = run()
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => inflight.delete(task));
    inflight.add(task);
  }

  async function write(comments: StoredComment[]) {
    const existing = await bulk.existingComments(siteId, comments);
    const fresh = comments.filter((comment) => !existing.has(`${comment.threadId}\n${comment.id}`));
    try {
      await bulk.putComments(fresh, importedAt);
    } catch (error) {
      unsure.push(...fresh);
      throw error;
    }
    summary.alreadyPresent += comments.length - fresh.length;
    for (const comment of fresh) counted(comment);
    options.onWritten?.();
    for (const [threadId, count] of countBy(comments)) {
      const left = (outstanding.get(threadId) ?? count) - count;
      if (left > 0) {
        outstanding.set(threadId, left);
        continue;
      }
      outstanding.delete(threadId);
      if (ended.delete(threadId)) await recount(threadId);
    }
  }

  async function send() {
    const comments = batch;
    batch = [];
    if (comments.length > 0) await startTask(() => write(comments));
  }

  return {
    /** Queues a comment; waits when `concurrency` batches are already being written. */
    async add(comment: StoredComment): Promise<void> {
      outstanding.set(comment.threadId, (outstanding.get(comment.threadId) ?? 0) + 1);
      dirty.add(comment.threadId);
      batch.push(comment);
      if (batch.length >= batchSize) await send();
    },

    /** These threads get no more comments from the current scope: recount each once its comments are written. */
    async endScope(threadIds: Iterable<string>): Promise<void> {
      for (const threadId of threadIds) {
        if (!dirty.has(threadId)) continue;
        if (outstanding.has(threadId)) ended.add(threadId);
        else await startTask(() => recount(threadId));
      }
    },

    /** Writes what is queued and waits for every batch; throws the first failure. */
    async flush(): Promise<void> {
      await send();
      while (inflight.size > 0) await Promise.race(inflight);
      if (failure) throw failure.error;
    },

    /** Threads still to recount (after {@link flush}). */
    threadsToRecount: (): number => dirty.size,

    /** Recounts every thread not recounted yet, then records the authors who published. */
    async finish(onThread?: (done: number) => void): Promise<void> {
      const threadIds = [...dirty];
      let done = 0;
      const workers = Array.from({ length: Math.min(concurrency, threadIds.length) }, async () => {
        for (let next = threadIds.pop(); next !== undefined; next = threadIds.pop()) {
          await recount(next);
          onThread?.(++done);
        }
      });
      await Promise.all(workers);
      await bulk.addAuthorsPublished(siteId, authorsPublished);
    },

    /**
     * After a failure: waits for the batches still running, checks which comments of failed batches were stored
     * (they count as written), recounts every thread written to and records authors, as far as the store lets it.
     */
    async settleAfterFailure(): Promise<FailureOutcome> {
      while (inflight.size > 0) await Promise.race(inflight);
      let uncertain = 0;
      if (unsure.length > 0) {
        try {
          const stored = await bulk.existingComments(siteId, unsure);
          for (const comment of unsure) if (stored.has(`${comment.threadId}\n${comment.id}`)) counted(comment);
        } catch {
          uncertain = unsure.length;
        }
      }
      try {
        for (const threadId of [...dirty]) await recount(threadId);
        await bulk.addAuthorsPublished(siteId, authorsPublished);
      } catch {
        // The store is still failing: the rest is left to the rerun, which recounts every thread it touches.
      }
      return { uncertain, countersLeft: dirty.size };
    },
  };
}

/** A writer made by {@link createImportWriter}. */
export type ImportWriter = ReturnType<typeof createImportWriter>;
