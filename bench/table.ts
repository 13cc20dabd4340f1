/**
 * `npm run bench:table`: prints the Markdown performance tables from bench/results.json (or the file given
 * as the first argument). `--summary`: one short table for the README. `--before <file>`: a before/after
 * comparison of the figures both files hold (`--only <regexp>` picks figures by name). `--update <file>`:
 * replaces the tables between the `<!-- bench:tables -->` and `<!-- /bench:tables -->` markers in that file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { BenchResults } from "./bench.ts";
import { costPerMillion, type MeasuredRequest } from "./cost.ts";

type Load = { requestsPerSecond: number; p50Ms: number; p99Ms: number; cpuMsPerRequest: number };
type Cost = { calls: number; readUnits: number; writeUnits: number; awsReadUnits: number; awsWriteUnits: number };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : int(n)} ms`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const units = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Every figure the tables show, by a stable name (the smoke test checks each is a number). */
export function figures(results: BenchResults): Record<string, number> {
  const out: Record<string, number> = {};
  const load = (name: string, figure: Load) => {
    out[`${name}.requestsPerSecond`] = figure.requestsPerSecond;
    out[`${name}.p50Ms`] = figure.p50Ms;
    out[`${name}.p99Ms`] = figure.p99Ms;
    out[`${name}.cpuMsPerRequest`] = figure.cpuMsPerRequest;
  };
  const cost = (name: string, figure: Cost | null) => {
    if (!figure) return;
    for (const key of ["calls", "readUnits", "writeUnits", "awsReadUnits", "awsWriteUnits"] as const) out[`${name}.${key}`] = figure[key];
  };
  load("http.read", results.http.read);
  load("http.notModified", results.http.notModified);
  load("http.post", results.http.post);
  out["http.post.accepted"] = results.http.post.accepted;
  out["http.post.stored"] = results.http.post.stored;
  load("http.readAlone", results.http.readAlone);
  load("http.notModifiedAlone", results.http.notModifiedAlone);
  out["http.pageBytes.gzipBytes"] = results.http.pageBytes.gzipBytes;
  for (const [name, request] of Object.entries(costedRequests(results))) {
    const cost = costPerMillion(request);
    out[`cost.${name}.uncachedPerMillion`] = cost.uncached;
    if (cost.cacheHit !== null) out[`cost.${name}.cacheHitPerMillion`] = cost.cacheHit;
  }
  if (results.hotThread) {
    load("hotThread.withoutCache", results.hotThread.withoutCache);
    load("hotThread.withCache", results.hotThread.withCache);
  }
  load("http.postAlone", results.http.postAlone);
  out["http.postAlone.accepted"] = results.http.postAlone.accepted;
  out["http.postAlone.stored"] = results.http.postAlone.stored;
  for (const kind of ["read", "post"] as const) {
    out[`ceiling.${kind}.storeRequestsPerSecond`] = results.ceiling[kind].storeRequestsPerSecond;
    out[`ceiling.${kind}.percentOfCeiling`] = results.ceiling[kind].percentOfCeiling;
  }
  load("inProcess.read", results.inProcess.read);
  load("inProcess.post", results.inProcess.post);
  load("inProcess.storeRead", results.inProcess.storeRead);
  const { bySort, ...operations } = results.capacity;
  for (const [name, figure] of Object.entries(operations)) cost(`capacity.${name}`, figure);
  for (const [sort, pages] of Object.entries(bySort ?? {})) {
    cost(`capacity.bySort.${sort}.first`, pages.first);
    cost(`capacity.bySort.${sort}.next`, pages.next);
  }
  if (results.coldStart.status === "measured") {
    const c = results.coldStart;
    Object.assign(out, {
      "coldStart.bundleBytes": c.bundleBytes,
      "coldStart.bundleGzipBytes": c.bundleGzipBytes,
      "coldStart.importMs": c.importMs,
      "coldStart.firstEventMs": c.firstEventMs,
      "coldStart.totalMs": c.totalMs,
      "coldStart.cpuMs": c.cpuMs,
    });
  }
  if (results.widget.status === "measured") {
    const w = results.widget;
    Object.assign(out, {
      "widget.embed.bytes": w.weight.embed.bytes,
      "widget.embed.gzipBytes": w.weight.embed.gzipBytes,
      "widget.widget.gzipBytes": w.weight.widget.gzipBytes,
      "widget.count.bytes": w.weight.count.bytes,
      "widget.count.gzipBytes": w.weight.count.gzipBytes,
      "widget.css.bytes": w.weight.cssInEmbed.bytes,
      "widget.css.gzipBytes": w.weight.cssInEmbed.gzipBytes,
      "widget.total.bytes": w.weight.total.bytes,
      "widget.total.gzipBytes": w.weight.total.gzipBytes,
    });
    if (w.threadRenderedMs !== null) out["widget.threadRenderedMs"] = w.threadRenderedMs;
    if (w.beforeScroll) {
      out["widget.beforeScroll.bytes"] = w.beforeScroll.bytes;
      out["widget.beforeScroll.threadApiCalls"] = w.beforeScroll.threadApiCalls;
      out["widget.beforeScroll.widgetRequests"] = w.beforeScroll.widgetRequests;
    }
  }
  if (results.start) {
    for (const mode of ["first", "fresh", "existing"] as const) {
      const start = results.start[mode];
      if (!start) continue; // results of a bench from before the first-start row
      out[`start.${mode}.medianMs`] = start.medianMs;
      out[`start.${mode}.minMs`] = start.minMs;
      out[`start.${mode}.maxMs`] = start.maxMs;
    }
  }
  for (const row of results.scale.rows) {
    out[`scale.${row.comments}.pageReadUnits`] = row.pageReadUnits;
    load(`scale.${row.comments}.read`, row.read);
    load(`scale.${row.comments}.post`, row.post);
    out[`scale.${row.comments}.post.accepted`] = row.post.accepted;
    out[`scale.${row.comments}.post.stored`] = row.post.stored;
  }
  return out;
}

/** The requests the cost table prices, from what the bench measured. */
function costedRequests(results: BenchResults): Record<string, MeasuredRequest> {
  const { http, capacity } = results;
  return {
    pageView: {
      durationMs: http.readAlone.p50Ms,
      readUnits: capacity.threadPage.awsReadUnits,
      writeUnits: 0,
      responseBytes: http.pageBytes.gzipBytes,
      cacheable: true,
    },
    notModified: { durationMs: http.notModifiedAlone.p50Ms, readUnits: capacity.notModified.awsReadUnits, writeUnits: 0, responseBytes: 300, cacheable: true },
    comment: {
      durationMs: http.postAlone.p50Ms,
      readUnits: capacity.publishedComment.awsReadUnits,
      writeUnits: capacity.publishedComment.awsWriteUnits,
      responseBytes: 700,
      cacheable: false,
    },
  };
}

const dollars = (n: number) => `$${n < 1 ? n.toFixed(3) : n.toFixed(2)}`;

/** Dollars per million of each request, by part. */
function costTable(results: BenchResults): string[] {
  const labels: Record<string, string> = {
    pageView: `Page view (first page of ${results.config.pageSize})`,
    notModified: "Page view revalidated (304; also a live check)",
    comment: "Published comment",
  };
  return [
    "| Per million requests (us-east-1, on-demand) | CloudFront | Lambda | DynamoDB | uncached total | CloudFront cache hit |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...Object.entries(costedRequests(results)).map(([name, request]) => {
      const c = costPerMillion(request);
      return `| ${labels[name]} | ${dollars(c.edge)} | ${dollars(c.lambda)} | ${dollars(c.dynamo)} | ${dollars(c.uncached)} | ${c.cacheHit === null ? "—" : dollars(c.cacheHit)} |`;
    }),
  ];
}

const loadRow = (label: string, f: Load) => `| ${label} | ${int(f.requestsPerSecond)} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${f.cpuMsPerRequest.toFixed(2)} ms |`;
const ceilingRow = (label: string, c: { storeRequestsPerSecond: number; httpRequestsPerSecond: number; percentOfCeiling: number }) =>
  `| ${label} | ${int(c.storeRequestsPerSecond)} | ${int(c.httpRequestsPerSecond)} | ${c.percentOfCeiling} % |`;
const costRow = (label: string, c: Cost | null) =>
  c ? `| ${label} | ${c.calls} | ${units(c.readUnits)} | ${units(c.writeUnits)} | ${units(c.awsReadUnits)} | ${units(c.awsWriteUnits)} |` : `| ${label} | — | — | — | — | — |`;
const checked = (post: { accepted: number; stored: number; storedMatchesAccepted: boolean }) =>
  `${int(post.stored)} = ${int(post.accepted)} ${post.storedMatchesAccepted ? "✓" : "✗ MISMATCH"}`;

/** Load runs that got anything but the answers they expect (or connection errors), as `name: status×count`. */
function anomalies(results: BenchResults): string[] {
  type Counted = { statusCounts: Record<string, number>; errors: number };
  const runs: [string, Counted, string[]][] = [
    ["read", results.http.read, ["200"]],
    ["304", results.http.notModified, ["304"]],
    ["read alone", results.http.readAlone, ["200"]],
    ["post", results.http.post, ["201", "202"]],
    ["post alone", results.http.postAlone, ["201", "202"]],
    ...results.scale.rows.flatMap((row): [string, Counted, string[]][] => [
      [`read ${row.comments}`, row.read, ["200"]],
      [`post ${row.comments}`, row.post, ["201", "202"]],
    ]),
  ];
  return runs.flatMap(([name, run, expected]) => {
    const odd = Object.entries(run.statusCounts).filter(([status]) => !expected.includes(status));
    const parts = [...odd.map(([status, count]) => `${status}×${count}`), ...(run.errors > 0 ? [`${run.errors} connection errors`] : [])];
    return parts.length > 0 ? [`${name}: ${parts.join(", ")}`] : [];
  });
}

/** The Markdown tables for the README and docs/performance.md. */
export function renderTables(results: BenchResults): string {
  const { config } = results;
  const thread = `a thread of ${int(config.threadSize)}`;
  const lines: string[] = [];
  lines.push(
    machineLine(results),
    "",
    `| Request (page of ${config.pageSize}, ${thread}) | req/s | p50 | p99 | server CPU / req |`,
    "| --- | ---: | ---: | ---: | ---: |",
    loadRow("Read a thread page over HTTP", results.http.read),
    loadRow("Same with `If-None-Match` (304)", results.http.notModified),
    loadRow(`Post a comment over HTTP (stored = accepted: ${checked(results.http.post)})`, results.http.post),
    loadRow("Read, one connection (a reader alone)", results.http.readAlone),
    loadRow("304, one connection", results.http.notModifiedAlone),
    loadRow(`Post, one connection (stored = accepted: ${checked(results.http.postAlone)})`, results.http.postAlone),
    ...(results.hotThread
      ? [
          loadRow("Hot thread, read cache off (`READ_CACHE_MS=0`)", results.hotThread.withoutCache),
          loadRow(`Hot thread, read cache on (\`READ_CACHE_MS=${results.hotThread.readCacheMs}\`)`, results.hotThread.withCache),
        ]
      : []),
    loadRow("Read in-process (`app.request`, no sockets)", results.inProcess.read),
    loadRow("Post in-process (`app.request`)", results.inProcess.post),
    loadRow("Store read alone (`readThreadPage`)", results.inProcess.storeRead),
    "",
    `| The store's own ceiling (separate process, same request shape, ${config.connections} in flight) | store req/s | HTTP req/s | HTTP share of ceiling |`,
    "| --- | ---: | ---: | ---: |",
    ceilingRow(`Thread page read (Query of a page of ${config.pageSize})`, results.ceiling.read),
    ceilingRow("Published comment (its transaction)", results.ceiling.post),
    "",
    "| DynamoDB per operation | calls | read units | write units | AWS bills ≥ read | AWS bills ≥ write |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    costRow(`Thread page (first ${config.pageSize})`, results.capacity.threadPage),
    costRow("Next page (cursor)", results.capacity.nextPage),
    ...Object.entries(results.capacity.bySort ?? {}).flatMap(([sort, pages]) => [
      costRow(`Thread page, sort=${sort} (first ${config.pageSize})`, pages.first),
      costRow(`Next page, sort=${sort}`, pages.next),
    ]),
    costRow("Thread page, 304", results.capacity.notModified),
    costRow("Published comment", results.capacity.publishedComment),
    costRow("Queued comment", results.capacity.queuedComment),
    costRow("Moderation decision (approve)", results.capacity.decision),
    costRow("Queue page with context (3 comments)", results.capacity.queuePage),
    costRow("Stats of 7 days (≤ days + 2 Queries)", results.capacity.stats7Days),
    ...(results.capacity.permalink ? [costRow("Permalink (302)", results.capacity.permalink)] : []),
    ...(results.capacity.siteFeed ? [costRow("Site feed (Atom, latest 50)", results.capacity.siteFeed)] : []),
    ...(results.capacity.threadFeed ? [costRow("Thread feed (Atom, latest 50)", results.capacity.threadFeed)] : []),
    "",
    ...costTable(results),
    "",
  );
  const unexpected = anomalies(results);
  if (unexpected.length > 0) lines.push(`Unexpected answers: ${unexpected.join("; ")}.`, "");
  const cold = results.coldStart;
  lines.push("| API Lambda cold start | |", "| --- | ---: |");
  if (cold.status === "measured") {
    lines.push(
      `| Bundle (\`functions/api.ts\`, deploy build) | ${kb(cold.bundleBytes)} (${kb(cold.bundleGzipBytes)} gzipped) |`,
      `| Node start → bundle imported | ${ms(cold.nodeStartMs + cold.importMs)} (import ${ms(cold.importMs)}) |`,
      `| First event answered (thread page) | ${ms(cold.firstEventMs)} |`,
      `| Process start → first answer (median of ${cold.processes}) | ${ms(cold.totalMs)} |`,
      `| … CPU time used by then | ${ms(cold.cpuMs)} |`,
    );
  } else {
    lines.push(`| not built | ${cold.reason} |`);
  }
  lines.push("");
  if (results.start) {
    const startRow = (label: string, s: NonNullable<BenchResults["start"]>["fresh"]) =>
      `| ${label} | ${seconds(s.medianMs)} | ${seconds(s.minMs)}–${seconds(s.maxMs)} |`;
    lines.push(
      `| \`npm start\` → first 200 from \`/healthz\` (median of ${results.start.starts}) | median | fastest–slowest |`,
      "| --- | ---: | ---: |",
      // Results of a bench from before the first-start row have none.
      ...(results.start.first ? [startRow("First start of an installation (no table, no class-data archive yet)", results.start.first)] : []),
      startRow("Fresh data folder (no table; the installation's archive)", results.start.fresh),
      startRow("Existing data folder", results.start.existing),
      "",
    );
  }
  const widget = results.widget;
  lines.push("| Widget | raw | gzipped |", "| --- | ---: | ---: |");
  if (widget.status === "measured") {
    const w = widget.weight;
    lines.push(
      `| embed.js (loader, runs on every article page) | ${kb(w.embed.bytes)} | ${kb(w.embed.gzipBytes)} |`,
      `| widget (loaded near the comments, English included) | ${kb(w.widget.bytes)} | ${kb(w.widget.gzipBytes)} |`,
      `| … of which CSS | ${kb(w.cssInEmbed.bytes)} | ${kb(w.cssInEmbed.gzipBytes)} |`,
      `| largest language table (${w.largestLocale.name}, on demand) | ${kb(w.largestLocale.bytes)} | ${kb(w.largestLocale.gzipBytes)} |`,
      `| count.js | ${kb(w.count.bytes)} | ${kb(w.count.gzipBytes)} |`,
      `| Total for a reader who scrolls to the comments | ${kb(w.total.bytes)} | ${kb(w.total.gzipBytes)} |`,
      widget.beforeScroll === null
        ? `| Demo article before scrolling | not measured: ${widget.browser} | |`
        : `| Demo article before scrolling (Chromium): bytes from us, API calls (thread/config), widget requests, long tasks | ${kb(widget.beforeScroll.bytes)}, ${widget.beforeScroll.apiCalls} (${widget.beforeScroll.threadApiCalls}), ${widget.beforeScroll.widgetRequests}, ${widget.beforeScroll.longTasks} | |`,
      widget.threadRenderedMs === null
        ? `| Page load → comments rendered | not measured: ${widget.browser} | |`
        : `| Article opened at its comments → first ${config.pageSize} comments rendered (Chromium, median of ${widget.pageLoads}) | ${ms(widget.threadRenderedMs)} | |`,
    );
  } else {
    lines.push(`| not built | ${widget.reason} | |`);
  }
  lines.push(
    "",
    `| Comments in thread (+ ${int(results.scale.otherThreads)} other threads) | read units / page | read req/s | read p50 | read p99 | post req/s | post p50 | post p99 | stored = accepted |`,
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.scale.rows.map(
      (row) =>
        `| ${int(row.comments)} | ${units(row.pageReadUnits)} | ${int(row.read.requestsPerSecond)} | ${ms(row.read.p50Ms)} | ${ms(row.read.p99Ms)} | ` +
        `${int(row.post.requestsPerSecond)} | ${ms(row.post.p50Ms)} | ${ms(row.post.p99Ms)} | ${checked(row.post)} |`,
    ),
  );
  return lines.join("\n");
}

/** The machine and settings line that goes with every table. */
function machineLine(results: BenchResults): string {
  const { machine, config } = results;
  return (
    `Measured ${results.generatedAt.slice(0, 10)} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ` +
    `${machine.os}; load average ${machine.loadAverageAtStart} at start, ${machine.loadAverageAtEnd} at end. ` +
    `${config.connections} connections; each figure is the median of ${config.rounds} rounds of ${config.seconds} s after a ` +
    `${config.warmupSeconds} s warm-up. Store: DynamoDB Local (in memory) on the same machine.`
  );
}

/** One short table of the headline figures, for the README. */
export function renderSummary(results: BenchResults): string {
  const { http, capacity, coldStart, widget, scale, config } = results;
  const load = (f: Load) => `${int(f.requestsPerSecond)} req/s, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}`;
  const biggest = scale.rows.at(-1);
  const rows = [
    [`Read a page of ${config.pageSize} (thread of ${int(config.threadSize)}, ${config.connections} connections)`, load(http.read)],
    ["Same page, one reader alone", `p50 ${ms(http.readAlone.p50Ms)}, p99 ${ms(http.readAlone.p99Ms)}`],
    ["Same page with `If-None-Match` → 304", load(http.notModified)],
    [`Post a comment (${config.connections} connections)`, `${load(http.post)}; stored = accepted ${http.post.storedMatchesAccepted ? "✓" : "✗"}`],
    ["Post, one reader alone", `p50 ${ms(http.postAlone.p50Ms)}, p99 ${ms(http.postAlone.p99Ms)}`],
    ...(results.hotThread
      ? [[`Hot thread: the same page, read cache off / on (\`READ_CACHE_MS=${results.hotThread.readCacheMs}\`)`, `${int(results.hotThread.withoutCache.requestsPerSecond)} / ${int(results.hotThread.withCache.requestsPerSecond)} req/s (×${results.hotThread.speedup})`]]
      : []),
    ["HTTP rate as a share of the store's own ceiling (read / post)", `${results.ceiling.read.percentOfCeiling} % / ${results.ceiling.post.percentOfCeiling} %`],
    ["Server CPU per request (read / 304 / post)", `${http.read.cpuMsPerRequest.toFixed(2)} / ${http.notModified.cpuMsPerRequest.toFixed(2)} / ${http.post.cpuMsPerRequest.toFixed(2)} ms`],
    ["DynamoDB per page view (304)", `${capacity.threadPage.calls} Query, ${units(capacity.threadPage.readUnits)} read units (${units(capacity.notModified.readUnits)})`],
    [
      "DynamoDB per published comment (AWS bills at least)",
      `${capacity.publishedComment.calls} calls, ${units(capacity.publishedComment.awsReadUnits)} read + ${units(capacity.publishedComment.awsWriteUnits)} write units`,
    ],
    ...(biggest ? [[`Page of a ${int(biggest.comments)}-comment thread`, `${units(biggest.pageReadUnits)} read units, ${load(biggest.read)}`]] : []),
    coldStart.status === "measured"
      ? [
          "API Lambda: bundle, cold start to first answer (CPU time)",
          `${kb(coldStart.bundleBytes)} (${kb(coldStart.bundleGzipBytes)} gzipped), ${ms(coldStart.totalMs)} (${ms(coldStart.cpuMs)})`,
        ]
      : ["API Lambda", "not built"],
    widget.status === "measured"
      ? [
          "Widget: embed.js + count.js, thread rendered after navigation",
          `${kb(widget.weight.total.gzipBytes)} gzipped, ${widget.threadRenderedMs === null ? "not measured" : ms(widget.threadRenderedMs)}`,
        ]
      : ["Widget", "not built"],
  ];
  return [machineLine(results), "", "| Figure | Measured |", "| --- | --- |", ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join("\n");
}

/** A before/after table of every figure both result files hold. */
export function renderComparison(before: BenchResults, after: BenchResults, pick: (name: string) => boolean = () => true): string {
  const a = figures(before);
  const b = figures(after);
  const rows = Object.keys(b)
    .filter((name) => typeof a[name] === "number" && pick(name))
    .map((name) => {
      const change = a[name] === 0 ? "" : `${((b[name]! / a[name]! - 1) * 100).toFixed(0)} %`;
      return `| ${name} | ${a[name]} | ${b[name]} | ${change} |`;
    });
  return ["| figure | before | after | change |", "| --- | ---: | ---: | ---: |", ...rows].join("\n");
}

/** Replaces what sits between the bench markers of a Markdown document with `tables`. */
export function replaceTables(document: string, tables: string): string {
  const start = "<!-- bench:tables -->";
  const end = "<!-- /bench:tables -->";
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the document has no ${start} … ${end} block`);
  return `${document.slice(0, from + start.length)}\n${tables}\n${document.slice(to)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { before: { type: "string" }, only: { type: "string" }, summary: { type: "boolean" }, update: { type: "string" } },
  });
  const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as BenchResults;
  const results = read(positionals[0] ?? "bench/results.json");
  if (values.before) {
    const only = values.only ? new RegExp(values.only) : null;
    console.log(renderComparison(read(values.before), results, (name) => !only || only.test(name)));
  } else if (values.update) {
    writeFileSync(values.update, replaceTables(readFileSync(values.update, "utf8"), renderTables(results)));
    console.log(`updated the tables in ${values.update}`);
  } else {
    console.log(values.summary ? renderSummary(results) : renderTables(results));
  }
}
