/** Where a progress display writes (stderr by default, so stdout stays clean for data). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options for {@link createProgress}. */
export interface ProgressOptions {
  label: string;
  /** The amount that means done (file size in bytes, number of threads); unknown: no bar, no ETA. */
  total?: number;
  /** How amounts are shown. */
  unit?: "bytes" | "count";
  stream?: ProgressStream;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
}

/** A progress display. */
export interface Progress {
  /** Sets how much is done and a short detail (counts). Redraws at most 10 times a second. */
  update(done: number, detail?: string): void;
  /** Switches to another phase with its own total. */
  phase(label: string, total?: number, unit?: "bytes" | "count"): void;
  /** Draws the last state and ends the line. */
  finish(detail?: string): void;
}

/** "12.3 MB", "800 B". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "0:42", "1:02:03". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * A one-line progress bar with counts and ETA. On a terminal it redraws in place; elsewhere (a log, a pipe) it
 * prints a line every few seconds and one at the end.
 * @example const p = createProgress({ label: "importing", total: size, unit: "bytes" }); p.update(read, "12 comments"); p.finish();
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  let label = options.label;
  let total = options.total;
  let unit = options.unit ?? "count";
  let started = now();
  let lastDraw = 0;
  let done = 0;
  let detail = "";

  const amount = (n: number) => (unit === "bytes" ? formatBytes(n) : String(n));
  const line = (final: boolean) => {
    const parts = [label];
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(ratio * width);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`, `${amount(done)}/${amount(total)}`);
      const elapsed = now() - started;
      if (!final && done > 0 && ratio < 1) parts.push(`ETA ${formatDuration((elapsed * (total - done)) / done)}`);
      if (final) parts.push(`in ${formatDuration(elapsed)}`);
    } else if (done > 0) {
      parts.push(amount(done));
    }
    if (detail) parts.push(detail);
    return parts.join("  ");
  };
  const draw = (final: boolean) => {
    lastDraw = now();
    if (tty) {
      const text = line(final);
      const columns = stream.columns ?? 120;
      stream.write(`\r\x1b[K${text.length > columns - 1 ? text.slice(0, columns - 1) : text}${final ? "\n" : ""}`);
    } else {
      stream.write(`${line(final)}\n`);
    }
  };

  return {
    update(value, text) {
      done = value;
      if (text !== undefined) detail = text;
      if (now() - lastDraw >= (tty ? 100 : 5000)) draw(false);
    },
    phase(nextLabel, nextTotal, nextUnit) {
      if (tty && lastDraw > 0) stream.write("\n");
      label = nextLabel;
      total = nextTotal;
      unit = nextUnit ?? "count";
      done = 0;
      started = now();
      lastDraw = 0;
    },
    finish(text) {
      if (text !== undefined) detail = text;
      if (total !== undefined) done = Math.max(done, total);
      draw(true);
    },
  };
}
