import { en, type ReviewWords } from "./locales/en.ts";
import { fa } from "./locales/fa.ts";
import { formatLanguage, setFormatLanguage } from "./intl.ts";

export { formatDay, formatDuration, formatNumber, formatTime } from "./intl.ts";

/** The review page's languages: one table each, the same keys (the type makes a missing key a build error). */
export const reviewLanguages = { en, fa } as const;
export type ReviewLanguage = keyof typeof reviewLanguages;

const rightToLeft = new Set<ReviewLanguage>(["fa"]);
const storageKey = "cw-review-lang";

/** The language chosen before (localStorage; it is not a secret), else the browser's if we speak it, else English. */
export function savedLanguage(): ReviewLanguage {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored && stored in reviewLanguages) return stored as ReviewLanguage;
  } catch {
    // Storage disabled: fall through to the browser's language.
  }
  const browser = (navigator.language || "en").toLowerCase().split("-")[0];
  return browser && browser in reviewLanguages ? (browser as ReviewLanguage) : "en";
}

/** Switches the page's language: `lang` and `dir` on <html>, the title, and the remembered choice. */
export function applyLanguage(language: ReviewLanguage): void {
  setFormatLanguage(language);
  document.documentElement.lang = language;
  document.documentElement.dir = rightToLeft.has(language) ? "rtl" : "ltr";
  document.title = words().pageTitle;
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

/** The current language. */
export const language = (): ReviewLanguage => formatLanguage() as ReviewLanguage;

/** The current language's table. */
export const words = (): ReviewWords => reviewLanguages[language()];

