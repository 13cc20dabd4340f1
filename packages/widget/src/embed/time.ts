const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 minutes ago" in the reader's language (rounded down to the largest whole unit). */
export function relativeTime(iso: string, lang: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(-Math.trunc(seconds / size), unit);
  }
  return format.format(0, "second");
}

/** The exact date and time, shown on hover. */
export function exactTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
}
