import type { Messages, PluralKey, TextKey } from "./messages.ts";

/** Formats one language's texts: plurals through `Intl.PluralRules`, numbers through `Intl.NumberFormat`. */
export interface Translator {
  lang: string;
  dir: "ltr" | "rtl";
  /** A plain text with its placeholders filled. */
  text(key: TextKey, params?: Record<string, string>): string;
  /** A plural text for `count` (its `{n}` is the number as the language writes it). */
  plural(key: PluralKey, count: number): string;
  /** A number as the language writes it (Persian digits in Persian, and so on). */
  number(n: number): string;
}

/** Fills `{name}` placeholders; an unknown placeholder stays as written, so a mistake shows instead of hiding. */
export const fill = (template: string, params: Record<string, string>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

/** A {@link Translator} over one language's table. */
export function createTranslator(lang: string, dir: "ltr" | "rtl", messages: Messages): Translator {
  const numbers = new Intl.NumberFormat(lang);
  const plurals = new Intl.PluralRules(lang);
  return {
    lang,
    dir,
    text: (key, params = {}) => fill(messages[key], params),
    plural(key, count) {
      const forms = messages[key];
      return fill(forms[plurals.select(count)] ?? forms.other, { n: numbers.format(count) });
    },
    number: (n) => numbers.format(n),
  };
}
