import { directionOf, type TextDirection } from "../message.ts";
import { en } from "./en.ts";
import { fa } from "./fa.ts";
import type { MailWords } from "./types.ts";

export type { MailWords, SubscriptionKind } from "./types.ts";

/** The languages mails are written in; one module per language, added here. */
const tables: Record<string, MailWords> = { en, fa };

/** The languages with a table. */
export const mailLanguages = Object.keys(tables);

/** A language's words and direction; falls back to English for a language without a table. */
export function mailWordsFor(language: string | null | undefined): { words: MailWords; direction: TextDirection } {
  const base = (language ?? "en").toLowerCase().split("-")[0] ?? "en";
  const words = tables[base] ?? en;
  return { words, direction: directionOf(words.language) };
}

/** A number in the language's own digits ("۱۲" in Persian). */
export function formatNumber(language: string, value: number): string {
  return new Intl.NumberFormat(language).format(value);
}

/** A date and time in the language's own form, in UTC (the mail cannot know the reader's zone). */
export function formatDate(language: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(date)} UTC`;
}
