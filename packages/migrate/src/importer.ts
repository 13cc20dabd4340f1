import { createHash } from "node:crypto";
import { decodeHTML } from "entities";
import { idFromSeed, renderBody, threadIdSchema, type StoredComment } from "@comments/core";
import type { Hasher } from "@comments/api/hashing";
import { erasedAuthorName, erasedBodyHtml, type Store } from "@comments/store";
import { htmlToText } from "./html-to-text.ts";
import { createImportWriter, type FailureOutcome } from "./import-writer.ts";
import type { ImportSummary } from "./import-summary.ts";
import { createPlacementGuess } from "./placement-guess.ts";
import type { SourceComment, SourceEvent } from "./source.ts";

export type { ImportSummary };

/** What an import did. Counts of comments are of comments written by this run. */
/** Options for {@link importComments}. */
export interface ImportOptions {
  /** Where to write; not needed for a dry run. */
  store?: Store;
  siteId: string;
  /** The keyed hasher of the deployment (same IP-hash key as the API), for author hashes. */
  hasher: Hasher;
  /** Read and count only; write nothing. */
  dryRun?: boolean;
  /** Batches of 25 written at the same time (default 4). */
  concurrency?: number;
  /** Stops the import at the next record (Ctrl-C): what was written is settled and reported as after a failure. */
  signal?: AbortSignal;
  /** Called as the import goes (for a progress display). */
  onProgress?: (summary: ImportSummary, phase: "comments" | "threads", threadsDone?: number, threadsTotal?: number) => void;
}

/** DynamoDB items stop at 400 KB; a comment this big is not a comment. */
const maxCommentBytes = 300_000;
const nameLimit = 100;

function cleanName(raw: string): string {
  const text = decodeHTML(raw).replace(/[\p{Cc}\p{Cf}]/gu, " ").replace(/\s+/g, " ").trim();
  return [...text].slice(0, nameLimit).join("");
}

function cleanEmail(raw: string | null): string | null {
  const email = raw?.trim() ?? "";
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

function cleanUrl(raw: string | null): string | null {
  const text = raw?.trim() ?? "";
  if (text === "" || text.length > 2000) return null;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? text : null;
  } catch {
    return null;
  }
}

/** A stable id: the comment's own time (so ids sort by date, as thread pages need) and a digest of its source id. */
export function importedId(createdAt: string, sourceId: string): string {
  return idFromSeed(Date.parse(createdAt), createHash("sha256").update(sourceId).digest());
}

/**
 * A failure after the first write (the store failed, or the file changed under the import). The store is left
 * consistent as far as it answers: `summary` counts exactly the comments written, and the counters of the threads
 * they went to were recounted (`outcome.countersLeft` says how many could not be). Running the same import again
 * finishes it without duplicates.
 */
export class ImportInterruptedError extends Error {
  constructor(
    readonly reason: unknown,
    readonly summary: ImportSummary,
    readonly outcome: FailureOutcome,
  ) {
    super((reason as Error)?.message ?? String(reason), { cause: reason });
    this.name = "ImportInterruptedError";
  }
}

/**
 * Imports comments from a source reader into a site. Safe to run again: ids are derived from the source ids,
 * comments already stored are left alone (a moderator's later decisions survive), and each thread's counters are
 * recounted from what it holds (as soon as its comments are written, see `createImportWriter`, and at the end).
 * Comment text from other systems is converted to plain text and rendered by `renderBody`; it is never trusted as
 * HTML. A failure once writing has begun is thrown as {@link ImportInterruptedError}.
 */
export async function importComments(events: AsyncIterable<SourceEvent>, options: ImportOptions): Promise<ImportSummary> {
  const { siteId, hasher } = options;
  if (!options.store && !options.dryRun) throw new Error("importComments needs a store unless it is a dry run");
  const bulk = options.dryRun ? undefined : options.store?.bulk;
  const importIpHash = hasher.ip("import");
  const importedAt = new Date().toISOString();
  const summary: ImportSummary = {
    threads: 0,
    imported: { published: 0, pending: 0, rejected: 0, spam: 0 },
    alreadyPresent: 0,
    skipped: {},
    orphanedReplies: 0,
  };
  const skip = (reason: string) => void (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1);
  const writer = bulk
    ? createImportWriter({
        bulk,
        siteId,
        concurrency: Math.max(1, options.concurrency ?? 4),
        importedAt,
        summary,
        onWritten: () => options.onProgress?.(summary, "comments"),
      })
    : null;
  const threads = new Set<string>();
  /** Threads that received comments in the current scope. */
  let scopeThreads = new Set<string>();
  /** Source id → where the comment went in this scope; null when it was skipped. */
  let placed = new Map<string, { threadId: string; id: string } | null>();
  let waiting: { comment: StoredComment; parentSourceId: string }[] = [];
  /** Root and placement written with each comment (the layout pass at a thread's end then rewrites few or none). */
  const placement = createPlacementGuess();

  async function enqueue(comment: StoredComment) {
    placement.place(comment);
    threads.add(comment.threadId);
    scopeThreads.add(comment.threadId);
    if (writer) await writer.add(comment);
    else summary.imported[comment.status]++; // dry run
  }
  function toStored(source: SourceComment): StoredComment | string {
    if (source.createdAt === null || Number.isNaN(Date.parse(source.createdAt))) return "no readable date";
    if (!threadIdSchema.safeParse(source.threadId).success) return "thread id not usable (1 to 200 printable characters)";
    const erased = "erased" in source.content;
    const body = "html" in source.content ? htmlToText(source.content.html, { preserveNewlines: source.content.preserveNewlines }) : "text" in source.content ? source.content.text : "";
    if (!erased && body.trim() === "") return "empty comment";
    const bodyHtml = erased ? erasedBodyHtml : renderBody(body);
    if (Buffer.byteLength(body) + Buffer.byteLength(bodyHtml) > maxCommentBytes) return "too large";
    const createdAt = new Date(source.createdAt).toISOString();
    const name = erased ? erasedAuthorName : cleanName(source.author.name) || "Anonymous";
    const email = erased ? null : cleanEmail(source.author.email);
    const extra = source.extra ?? {};
    const status = source.status;
    const queuedAt = erased ? null : status === "pending" ? (extra.queuedAt ?? createdAt) : status === "published" ? (extra.queuedAt ?? null) : null;
    return {
      siteId,
      threadId: source.threadId,
      id: source.id ?? importedId(createdAt, source.sourceId),
      parentId: null,
      authorName: name,
      authorEmail: email,
      authorUrl: erased ? null : cleanUrl(source.author.url),
      authorHash: erased ? "" : hasher.author({ email, name }, importIpHash),
      ipHash: erased ? "" : importIpHash,
      body: erased ? "" : body,
      bodyHtml,
      createdAt,
      status,
      reasons: extra.reasons ?? (status === "pending" || status === "spam" ? ["imported"] : []),
      details: erased ? [] : source.details,
      captchaScore: extra.captchaScore ?? null,
      flags: extra.flags ?? 0,
      flagReasons: extra.flagReasons ?? {},
      queuedAt,
      decidedBy: extra.decidedBy ?? null,
    };
  }

  /** The parent's id when it was imported into the same thread; null (orphaned reply) otherwise. */
  function parentIdFor(comment: StoredComment, parentSourceId: string): string | null {
    const parent = placed.get(parentSourceId);
    if (parent && parent.threadId === comment.threadId) return parent.id;
    summary.orphanedReplies++;
    return null;
  }

  async function endScope() {
    for (const { comment, parentSourceId } of waiting) {
      comment.parentId = parentIdFor(comment, parentSourceId);
      await enqueue(comment);
    }
    waiting = [];
    placed = new Map();
    placement.reset();
    await writer?.endScope(scopeThreads);
    scopeThreads = new Set();
  }

  try {
    for await (const event of events) {
      options.signal?.throwIfAborted();
      if (event.kind === "scope-end") {
        await endScope();
        continue;
      }
      if (event.kind === "skip") {
        skip(event.reason);
        if (event.sourceId !== undefined && !placed.has(event.sourceId)) placed.set(event.sourceId, null);
        continue;
      }
      const source = event.comment;
      if (placed.get(source.sourceId)) {
        skip("duplicate in the file");
        continue;
      }
      const comment = toStored(source);
      if (typeof comment === "string") {
        skip(comment);
        placed.set(source.sourceId, null);
        continue;
      }
      placed.set(source.sourceId, { threadId: comment.threadId, id: comment.id });
      if (source.parentSourceId === null) {
        await enqueue(comment);
      } else if (placed.has(source.parentSourceId)) {
        comment.parentId = parentIdFor(comment, source.parentSourceId);
        await enqueue(comment);
      } else {
        waiting.push({ comment, parentSourceId: source.parentSourceId }); // the parent may come later in the file
      }
      options.onProgress?.(summary, "comments");
    }
    await endScope();
    await writer?.flush();
  } catch (error) {
    if (!writer) throw error;
    const outcome = await writer.settleAfterFailure();
    summary.threads = threads.size;
    throw new ImportInterruptedError(error, summary, outcome);
  }
  summary.threads = threads.size;
  if (!writer) return summary;

  // Threads not recounted yet (all of them for sources without scopes, like Disqus): a re-run, or a run after a
  // crash, ends right because counters are recounted from what each thread holds.
  const total = writer.threadsToRecount();
  try {
    await writer.finish((done) => options.onProgress?.(summary, "threads", done, total));
  } catch (error) {
    const outcome = await writer.settleAfterFailure();
    throw new ImportInterruptedError(error, summary, outcome);
  }
  return summary;
}

/** The summary as lines for a person. */
export function formatSummary(summary: ImportSummary, options: { dryRun?: boolean } = {}): string {
  const imported = summary.imported;
  const total = imported.published + imported.pending + imported.rejected + imported.spam;
  const skippedTotal = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const lines = [
    `threads: ${summary.threads}`,
    `comments ${options.dryRun ? "to import" : "imported"}: ${total} (published ${imported.published}, pending ${imported.pending}, spam ${imported.spam}` +
      `${imported.rejected ? `, rejected ${imported.rejected}` : ""})`,
    `already present (earlier run): ${summary.alreadyPresent}`,
    `replies imported as top-level (parent missing or skipped): ${summary.orphanedReplies}`,
    `skipped: ${skippedTotal}${skippedTotal ? ` (${Object.entries(summary.skipped).map(([reason, n]) => `${reason}: ${n}`).join(", ")})` : ""}`,
  ];
  return lines.join("\n");
}
