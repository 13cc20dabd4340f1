import { readDisqus, type DisqusThreadFrom } from "./disqus-reader.ts";
import type { ImportInterruptedError } from "./importer.ts";
import { readJsonExport } from "./json-format.ts";
import type { SourceEvent, SourceFormat } from "./source.ts";
import { readWordpress, type WordpressThreadFrom } from "./wxr-reader.ts";

/** Options for {@link readSource}. */
export interface ReadSourceOptions {
  /** `--thread-from` (wordpress: path, slug, id; disqus: identifier, path, id). */
  threadFrom?: string;
  onBytes?: (bytes: number) => void;
}

/** The reader of a format over a file, as source events. */
export function readSource(format: SourceFormat, file: string, options: ReadSourceOptions = {}): AsyncIterable<SourceEvent> {
  const { onBytes } = options;
  if (format === "wordpress") return readWordpress(file, { threadFrom: options.threadFrom as WordpressThreadFrom | undefined, onBytes });
  if (format === "disqus") return readDisqus(file, { threadFrom: options.threadFrom as DisqusThreadFrom | undefined, onBytes });
  return readJsonExport(file, { onBytes });
}

/** What a check of a whole file found. */
export interface SourceCheck {
  comments: number;
  skipped: number;
}

/**
 * Reads a whole source to its end without keeping anything, so that a file cut off, not well-formed, in an encoding
 * that cannot be read or damaged in its compression fails here, before anything is written. Memory stays flat:
 * events are counted and dropped (the readers stream; see `streamXml`).
 */
export async function checkSource(events: AsyncIterable<SourceEvent>, onEvent?: (check: SourceCheck) => void): Promise<SourceCheck> {
  const check: SourceCheck = { comments: 0, skipped: 0 };
  for await (const event of events) {
    if (event.kind === "comment") check.comments++;
    else if (event.kind === "skip") check.skipped++;
    onEvent?.(check);
  }
  return check;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * What an interrupted import tells its user after the reason: exactly what was written, whether the counters are
 * right, and that running the same command again finishes the job.
 */
export function interruptedReport(error: ImportInterruptedError): string {
  const { imported, alreadyPresent } = error.summary;
  const written = imported.published + imported.pending + imported.spam + imported.rejected;
  const { uncertain, countersLeft } = error.outcome;
  const byStatus = `published ${imported.published}, pending ${imported.pending}, spam ${imported.spam}${imported.rejected ? `, rejected ${imported.rejected}` : ""}`;
  const lines = [
    written === 0 ? "No comments were written by this run." : `${plural(written, "comment")} ${written === 1 ? "was" : "were"} written (${byStatus}).`,
  ];
  if (alreadyPresent > 0) lines.push(`${plural(alreadyPresent, "comment")} from an earlier run ${alreadyPresent === 1 ? "was" : "were"} already there.`);
  if (uncertain > 0) lines.push(`Up to ${plural(uncertain, "more comment")} may have been written: the store failed before it could say.`);
  lines.push(
    countersLeft === 0
      ? "The comment counts of the threads written to are up to date."
      : `The comment counts of ${plural(countersLeft, "thread")} could not be updated yet (the store still failed).`,
  );
  lines.push("Run the same command again to finish: comments already written are not written twice, and counts are recounted.");
  return lines.join("\n");
}
