/** The language numbers and dates are formatted in (set by the language switch; the locale tables use it too). */
let current = "en";

export const formatLanguage = (): string => current;
export function setFormatLanguage(language: string): void {
  current = language;
}

/** A number as the language writes it (Persian digits in Persian). */
export const formatNumber = (value: number, options?: Intl.NumberFormatOptions): string => new Intl.NumberFormat(current, options).format(value);

/** A date and time a person reads; the ISO value stays in a `datetime` attribute. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(current, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A calendar day (`2026-12-02`) as the language writes it, without shifting it through a time zone. */
export function formatDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : new Intl.DateTimeFormat(current, { month: "short", day: "numeric", timeZone: "UTC" }).format(date);
}

/** A length of time in its largest sensible unit ("3 hours"), through `Intl.NumberFormat`'s units. */
export function formatDuration(seconds: number): string {
  const units: Array<[Intl.NumberFormatOptions["unit"], number]> = [["day", 86_400], ["hour", 3_600], ["minute", 60], ["second", 1]];
  const [unit, size] = units.find(([, size]) => seconds >= size) ?? units[units.length - 1]!;
  const value = seconds / size;
  return formatNumber(value < 10 && unit !== "second" ? Math.round(value * 10) / 10 : Math.round(value), { style: "unit", unit, unitDisplay: "long" });
}

/** The plural category of a count in the current language (`one`, `other`, …). */
export const pluralOf = (count: number): Intl.LDMLPluralRule => new Intl.PluralRules(current).select(count);
