import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, openSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { SiteConfigError, type SiteConfig } from "@comments/core";
import { createHasher } from "@comments/api/hashing";
import { auditReaderExport, eraseReaderComments, findReaderComments, readerCommentView } from "@comments/api/routes/data-requests";
import { CliError, cliSites, connect, type Connection } from "./connect.ts";
import { exportSite } from "./exporter.ts";
import { migrateLayout } from "./layout-migration.ts";
import { formatSummary, ImportInterruptedError, importComments } from "./importer.ts";
import { checkSource, interruptedReport, readSource } from "./import-source.ts";
import { checkInputFile, InputError } from "./input.ts";
import { ExportFormatError } from "./json-format.ts";
import { createProgress, type ProgressStream } from "./progress.ts";
import type { SourceFormat } from "./source.ts";
import { XmlFormatError } from "./xml-stream.ts";

/** Where a command reads its environment and writes its output. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & ProgressStream;
  stderr: ProgressStream;
}

export const usage = `Usage:
  npm run import -- wordpress --site <id> [--thread-from path|slug|id] [--dry-run] <export.xml>
  npm run import -- disqus --site <id> [--thread-from identifier|path|id] [--dry-run] <disqus.xml>
  npm run import -- json --site <id> [--dry-run] <site.json>
  npm run export -- --site <id> [--out <site.json>]
  npm run data -- export --site <id> --email <address> [--out <file.json>]
  npm run data -- erase --site <id> --email <address>
  npm run data -- migrate-layout [--site <id>]   (once, after upgrading to sorted threads; safe to repeat)

Store: DYNAMODB_ENDPOINT (else the embedded store on DATA_DIR, default .data, while npm start is stopped),
TABLE_NAME (default comments), IP_HASH_KEY (else DATA_DIR/ip-hash.key), SITES_FILE or SITES_JSON.`;

class UsageError extends Error {}

const threadFromChoices: Record<Exclude<SourceFormat, "json">, readonly string[]> = {
  wordpress: ["path", "slug", "id"],
  disqus: ["identifier", "path", "id"],
};

/** Writes to a stream, waiting when it asks to (a slow pipe or disk must not make memory grow). */
async function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The site named by `--site`, checked before any store is opened. */
function siteOf(sites: SiteConfig[], siteId: string | boolean | undefined) {
  if (typeof siteId !== "string" || siteId === "") throw new UsageError("--site is required");
  const site = sites.find((s) => s.id === siteId);
  if (!site) throw new CliError(`Unknown site "${siteId}" (configured: ${sites.map((s) => s.id).join(", ")}).`);
  return site;
}

/** A file to write output to, opened now so a bad path fails before any work. */
function outputFile(path: string, mode?: number) {
  try {
    return createWriteStream(path, { fd: openSync(path, "w", mode) });
  } catch (error) {
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

async function runImport(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(args, {
    site: { type: "string" },
    "thread-from": { type: "string" },
    "dry-run": { type: "boolean" },
    concurrency: { type: "string" },
  });
  const [format, file, ...rest] = positionals;
  if (format !== "wordpress" && format !== "disqus" && format !== "json") throw new UsageError("Name the format: wordpress, disqus or json.");
  if (!file || rest.length > 0) throw new UsageError("Name exactly one file to import.");
  const threadFrom = values["thread-from"];
  if (threadFrom !== undefined && (format === "json" || !threadFromChoices[format].includes(threadFrom))) {
    throw new UsageError(format === "json" ? "--thread-from does not apply to json" : `--thread-from must be one of ${threadFromChoices[format].join(", ")}`);
  }
  const dryRun = values["dry-run"] === true;
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError("--concurrency must be 1 to 32");
  const size = checkInputFile(file);
  const site = siteOf(cliSites(io.env), values.site);
  let bytes = 0;
  const onBytes = (read: number) => void (bytes = read);

  // The whole file is read once before the store starts: a file cut off, not well-formed or unreadable fails
  // here with nothing written. (A dry run is that same reading, with the counts.)
  if (!dryRun) {
    const checking = createProgress({ label: `checking ${file}`, total: size, unit: "bytes", stream: io.stderr });
    const check = await checkSource(readSource(format, file, { threadFrom, onBytes }), (found) => checking.update(bytes, `${found.comments} comments`));
    checking.finish(`${check.comments} comments, ${check.skipped} other records`);
  }

  // A dry run only reads the file: no store is opened (author hashes are made with a throwaway key).
  const connection: Pick<Connection, "hasher" | "close"> & Partial<Connection> = dryRun
    ? { hasher: createHasher(randomBytes(32).toString("hex")), close: async () => {} }
    : await connect(io.env, { createTable: true });
  // Ctrl-C while writing stops at the next record and reports what was written; a second Ctrl-C quits at once.
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort(new CliError("Interrupted (Ctrl-C)."));
  if (!dryRun) process.once("SIGINT", onInterrupt);
  try {
    const progress = createProgress({ label: `${dryRun ? "reading" : "importing"} ${file}`, total: size, unit: "bytes", stream: io.stderr });
    let threadPhase = false;
    const summary = await importComments(readSource(format, file, { threadFrom, onBytes }), {
      ...(connection.store ? { store: connection.store } : {}),
      siteId: site.id,
      hasher: connection.hasher,
      dryRun,
      concurrency,
      signal: interrupt.signal,
      onProgress(current, phase, threadsDone, threadsTotal) {
        const { published, pending, spam, rejected } = current.imported;
        const skipped = Object.values(current.skipped).reduce((a, b) => a + b, 0);
        const counts = `comments ${published + pending + spam + rejected} (published ${published}, pending ${pending}, spam ${spam}) · already there ${current.alreadyPresent} · skipped ${skipped}`;
        if (phase === "comments") progress.update(bytes, counts);
        else {
          if (!threadPhase) {
            progress.finish(counts);
            progress.phase("updating thread counters", threadsTotal, "count");
            threadPhase = true;
          }
          progress.update(threadsDone ?? 0, "threads");
        }
      },
    });
    progress.finish(threadPhase ? "threads" : undefined);
    const target = dryRun
      ? `Dry run (nothing written): ${file} for site "${site.id}"`
      : `Imported ${file} into site "${site.id}" (table "${connection.tableName}" at ${connection.endpoint})`;
    await writeTo(io.stdout, `${target}\n${formatSummary(summary, { dryRun })}\n`);
  } finally {
    process.off("SIGINT", onInterrupt);
    await connection.close();
  }
}

async function runExport(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(args, { site: { type: "string" }, out: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
  const site = siteOf(cliSites(io.env), values.site);
  const connection = await connect(io.env, { createTable: false });
  try {
    const out = values.out ? outputFile(values.out) : io.stdout;
    const progress = createProgress({ label: "finding threads", unit: "count", stream: io.stderr });
    let listing = true;
    const summary = await exportSite({
      store: connection.store,
      siteId: site.id,
      write: (text) => writeTo(out, text),
      onProgress(event) {
        if (event.phase === "scanning") return progress.update(event.scanned, "items scanned");
        if (listing) {
          listing = false;
          progress.finish();
          progress.phase(`exporting site "${site.id}"`, event.total, "count");
        }
        progress.update(event.done, `threads · ${event.comments} comments`);
      },
    });
    progress.finish(`${summary.threads} threads · ${summary.comments} comments`);
    if (out !== io.stdout) {
      (out as ReturnType<typeof createWriteStream>).end();
      await once(out, "finish");
    }
    io.stderr.write(`Exported ${summary.threads} threads and ${summary.comments} comments of site "${site.id}"${values.out ? ` to ${values.out}` : ""}.\n`);
  } finally {
    await connection.close();
  }
}

async function runData(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(args, { site: { type: "string" }, email: { type: "string" }, out: { type: "string" } });
  const [action, ...rest] = positionals;
  if (action === "migrate-layout") return runLayoutMigration(values.site, rest, io);
  if (action !== "export" && action !== "erase") throw new UsageError("Name the request: export, erase or migrate-layout.");
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
  const email = String(values.email ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError("--email must be an email address");
  const site = siteOf(cliSites(io.env), values.site);
  const moderator = `cli:${io.env.USER ?? io.env.USERNAME ?? "unknown"}`;

  const connection = await connect(io.env, { createTable: false });
  try {
    if (action === "export") {
      const comments = await findReaderComments(connection, site.id, email);
      await auditReaderExport(connection, site.id, moderator, comments.length, new Date());
      const text = `${JSON.stringify({ email, comments: comments.map(readerCommentView) }, null, 2)}\n`;
      if (values.out) {
        const out = outputFile(values.out, 0o600); // a reader's personal data: for its owner's eyes only
        out.end(text);
        await once(out, "finish");
      } else {
        await writeTo(io.stdout, text);
      }
      io.stderr.write(`Exported ${comments.length} comments of ${email} on site "${site.id}"${values.out ? ` to ${values.out}` : ""}.\n`);
    } else {
      const progress = createProgress({ label: `erasing comments of ${email}`, unit: "count", stream: io.stderr });
      const result = await eraseReaderComments(connection, {
        siteId: site.id,
        email,
        moderator,
        now: new Date(),
        onProgress: (done, total) => {
          if (done === 1) progress.phase(`erasing comments of ${email}`, total, "count");
          progress.update(done);
        },
      });
      progress.finish(`${result.erased} erased`);
      await writeTo(io.stdout, `Erased ${result.erased} comments of ${email} on site "${site.id}".\n`);
    }
  } finally {
    await connection.close();
  }
}

/** `data migrate-layout`: the one-off, repeatable move to the page-item layout (see layout-migration.ts). */
async function runLayoutMigration(siteId: string | boolean | undefined, rest: string[], io: CliIo): Promise<void> {
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
  const sites = siteId === undefined ? cliSites(io.env) : [siteOf(cliSites(io.env), siteId)];
  // createTable: an existing table gets the indexes it lacks (gsi3, gsi4) before any page is written.
  const connection = await connect(io.env, { createTable: true });
  try {
    const progress = createProgress({ label: "moving threads to the sorted layout", unit: "count", stream: io.stderr });
    const summary = await migrateLayout(connection.store, sites, (done, total) => {
      if (done === 1) progress.phase("moving threads to the sorted layout", total, "count");
      progress.update(done);
    });
    progress.finish(`${summary.threads} threads`);
    await writeTo(
      io.stdout,
      `Layout: ${summary.threads} threads checked, ${summary.commentsRewritten} comment items moved, ${summary.pageItemsChanged} page items written or removed.\n`,
    );
  } finally {
    await connection.close();
  }
}

/** Failures that are explained by their message alone (no stack trace, no error name). */
const isKnown = (error: unknown) =>
  error instanceof CliError || error instanceof InputError || error instanceof XmlFormatError || error instanceof ExportFormatError || error instanceof SiteConfigError;

/** One line for a person: the message of a known failure, else the error's name, message and cause. */
function errorMessage(error: unknown): string {
  if (isKnown(error)) return (error as Error).message;
  const name = (error as { name?: string }).name ?? "";
  const cause = (error as { cause?: { name?: string; message?: string } }).cause;
  return `${name && name !== "Error" ? `${name}: ` : ""}${(error as Error).message ?? String(error)}${cause?.message ? ` (${cause.name ?? "cause"}: ${cause.message})` : ""}`;
}

/**
 * Runs one command line (`import …`, `export …`, `data …`) and returns the exit code: 0 done, 1 failed (one
 * clear message on stderr), 2 wrong usage.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "import") await runImport(args, io);
    else if (command === "export") await runExport(args, io);
    else if (command === "data") await runData(args, io);
    else throw new UsageError(command ? `Unknown command "${command}".` : "Name a command.");
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${usage}\n`);
      return 2;
    }
    // An import stopped after writing: its reason first, then what it wrote and how to finish.
    const interrupted = error instanceof ImportInterruptedError ? error : null;
    const failure = interrupted ? interrupted.reason : error;
    const message = errorMessage(failure);
    const hint = /InternalFailure|unavailable/i.test(`${(failure as { name?: string }).name ?? ""} ${message}`)
      ? "\nThe store failed. If npm start is running on the same DATA_DIR, stop it or set DYNAMODB_ENDPOINT to its store."
      : "";
    io.stderr.write(`\nError: ${message}${hint}\n${interrupted ? `${interruptedReport(interrupted)}\n` : ""}`);
    if (!isKnown(failure) && io.env.DEBUG) io.stderr.write(`${(failure as Error).stack ?? ""}\n`);
    return 1;
  }
}
