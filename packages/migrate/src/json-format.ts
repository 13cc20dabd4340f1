import { z } from "zod";
import { isId, type StoredComment } from "@comments/core";
import { isErased, type ThreadRecord } from "@comments/store";
import type { SourceComment, SourceEvent } from "./source.ts";
import { readText } from "./text-decoding.ts";

/** The `format` value of a site export. */
export const exportFormat = "comments-export";
/** The version of the format this code writes and reads. */
export const exportVersion = 1;

const isoDate = z.iso.datetime({ offset: true });

/** One comment in a site export (see docs/data.md). */
export const exportedCommentSchema = z.object({
  id: z.string().refine(isId, "must be a comment id (26-character ULID)"),
  parentId: z.string().refine(isId, "must be a comment id (26-character ULID)").nullable(),
  status: z.enum(["pending", "published", "rejected", "spam"]),
  author: z.object({ name: z.string(), email: z.string().nullable().optional(), url: z.string().nullable().optional() }),
  body: z.string(),
  bodyHtml: z.string().optional(),
  createdAt: isoDate,
  erased: z.boolean().optional(),
  reasons: z.array(z.string()).optional(),
  details: z.array(z.string()).optional(),
  captchaScore: z.number().min(0).max(1).nullable().optional(),
  flags: z.number().int().min(0).optional(),
  flagReasons: z.partialRecord(z.enum(["spam", "abuse", "off_topic", "other"]), z.number().int().min(0)).optional(),
  queuedAt: isoDate.nullable().optional(),
  decidedBy: z.string().nullable().optional(),
});
export type ExportedComment = z.infer<typeof exportedCommentSchema>;

/** One thread in a site export; comments are checked one by one so one bad record does not cost the thread. */
const exportedThreadSchema = z.object({
  threadId: z.string().min(1),
  commentCount: z.number().int().min(0).optional(),
  firstCommentAt: isoDate.nullable().optional(),
  comments: z.array(z.unknown()),
});

const headerSchema = z.object({
  format: z.literal(exportFormat, { error: `"format" must be "${exportFormat}"` }),
  version: z.literal(exportVersion, { error: `"version" must be ${exportVersion}` }),
  siteId: z.string().optional(),
  exportedAt: z.string().optional(),
  threads: z.array(z.unknown()),
});

/** The first line of an export: everything up to the opening of the threads array. */
export function exportHeader(siteId: string, exportedAt: Date): string {
  const header = JSON.stringify({ format: exportFormat, version: exportVersion, siteId, exportedAt: exportedAt.toISOString(), threads: [] });
  return header.slice(0, -2); // drop the closing "]}": threads follow, one per line
}

/** A comment as the export writes it (keyed hashes stay in the store). */
export function exportComment(comment: StoredComment): ExportedComment {
  return {
    id: comment.id,
    parentId: comment.parentId,
    status: comment.status,
    author: { name: comment.authorName, email: comment.authorEmail, url: comment.authorUrl },
    body: comment.body,
    bodyHtml: comment.bodyHtml,
    createdAt: comment.createdAt,
    ...(isErased(comment) ? { erased: true } : {}),
    reasons: comment.reasons,
    details: comment.details,
    captchaScore: comment.captchaScore,
    flags: comment.flags,
    flagReasons: comment.flagReasons,
    queuedAt: comment.queuedAt,
    decidedBy: comment.decidedBy ?? null,
  };
}

/** One thread's line of an export. */
export function exportThreadLine(thread: ThreadRecord, comments: StoredComment[]): string {
  return JSON.stringify({
    threadId: thread.threadId,
    commentCount: thread.commentCount,
    firstCommentAt: thread.firstCommentAt,
    comments: comments.map(exportComment),
  });
}

/** A file that is not a site export, with the reason. */
export class ExportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportFormatError";
  }
}

const describe = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.map(String).join(".") || "record"}: ${issue.message}`).join("; ");

function sourceComment(threadId: string, record: ExportedComment): SourceComment {
  return {
    sourceId: record.id,
    id: record.id,
    threadId,
    parentSourceId: record.parentId,
    author: { name: record.author.name, email: record.author.email ?? null, url: record.author.url ?? null },
    createdAt: record.createdAt,
    content: record.erased ? { erased: true } : { text: record.body },
    status: record.status,
    details: record.details ?? [],
    extra: {
      ...(record.reasons ? { reasons: record.reasons } : {}),
      ...(record.captchaScore !== undefined ? { captchaScore: record.captchaScore } : {}),
      ...(record.flags !== undefined ? { flags: record.flags } : {}),
      ...(record.flagReasons ? { flagReasons: record.flagReasons } : {}),
      ...(record.queuedAt !== undefined ? { queuedAt: record.queuedAt } : {}),
      ...(record.decidedBy !== undefined ? { decidedBy: record.decidedBy } : {}),
    },
  };
}

function* threadEvents(raw: unknown, where: string): Generator<SourceEvent> {
  const thread = exportedThreadSchema.safeParse(raw);
  if (!thread.success) throw new ExportFormatError(`${where}: not a thread (${describe(thread.error)})`);
  for (const rawComment of thread.data.comments) {
    const record = exportedCommentSchema.safeParse(rawComment);
    if (record.success) {
      yield { kind: "comment", comment: sourceComment(thread.data.threadId, record.data) };
    } else {
      const id = (rawComment as { id?: unknown } | null)?.id;
      yield { kind: "skip", reason: `invalid record (${describe(record.error)})`, ...(typeof id === "string" ? { sourceId: id } : {}) };
    }
  }
  yield { kind: "scope-end" };
}

/** Lines of a file (gzip or not, UTF-8 or UTF-16 with a byte order mark), split on "\n" only (JSON strings never hold a raw one). */
async function* lines(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of readText(file, { kind: "json", onBytes })) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    yield* parts;
  }
  if (rest !== "") yield rest;
}

/**
 * Reads a site export (docs/data.md). Files in the layout the exporter writes (one thread per line) are streamed;
 * any other layout of the same JSON is read whole. Lines before the JSON that `npm run` prints (`> …`) are ignored,
 * so `npm run export -- --site demo > site.json` gives a file that reads back.
 */
export async function* readJsonExport(file: string, options: { onBytes?: (bytes: number) => void } = {}): AsyncGenerator<SourceEvent> {
  const reader = lines(file, options.onBytes);
  // Later loops go on where this one stops (a plain `for await … break` would close the file).
  const input: AsyncIterable<string> = { [Symbol.asyncIterator]: () => reader };
  let lineNumber = 0;
  let first: string | undefined;
  for (let next = await reader.next(); !next.done; next = await reader.next()) {
    lineNumber++;
    const trimmed = next.value.replace(/^\ufeff/, "").trim();
    if (trimmed === "" || trimmed.startsWith("> ")) continue;
    first = trimmed;
    break;
  }
  if (first === undefined) throw new ExportFormatError(`${file} is empty`);
  if (!first.startsWith("{")) throw new ExportFormatError(`${file} is not a JSON site export (line ${lineNumber} does not start with "{")`);

  const parse = (text: string, where: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ExportFormatError(`${file} ${where}: not valid JSON (${(error as Error).message})`);
    }
  };
  const checkHeader = (value: unknown) => {
    const header = headerSchema.safeParse(value);
    if (!header.success) throw new ExportFormatError(`${file} is not a site export: ${describe(header.error)}`);
    return header.data;
  };

  if (first.endsWith('"threads":[')) {
    checkHeader(parse(`${first}]}`, `line ${lineNumber}`));
    let closed = false;
    for await (const line of input) {
      lineNumber++;
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (closed) throw new ExportFormatError(`${file} line ${lineNumber}: unexpected text after the end of the export`);
      if (trimmed === "]}") {
        closed = true;
        continue;
      }
      const threadText = trimmed.endsWith(",") ? trimmed.slice(0, -1) : trimmed;
      yield* threadEvents(parse(threadText, `line ${lineNumber}`), `${file} line ${lineNumber}`);
    }
    if (!closed) throw new ExportFormatError(`${file} ends early (line ${lineNumber}): the export was cut off`);
    return;
  }

  // Another layout (for example pretty-printed by hand): read whole.
  const parts = [first];
  for await (const line of input) parts.push(line);
  const header = checkHeader(parse(parts.join("\n"), "(whole file)"));
  for (const [index, thread] of header.threads.entries()) yield* threadEvents(thread, `${file} threads[${index}]`);
}
