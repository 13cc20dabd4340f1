import type { Language } from "../../i18n/languages.ts";

/** Each language's name in that language, for the demo's language switcher and the docs. */
export const languageNames: Record<Language, string> = {
  en: "English",
  fa: "فارسی",
  ps: "پښتو",
  ar: "العربية",
  ur: "اردو",
  he: "עברית",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
  pt: "Português",
  ru: "Русский",
  tr: "Türkçe",
  uk: "Українська",
  zh: "中文",
  ja: "日本語",
  ko: "한국어",
  hi: "हिन्दी",
  id: "Bahasa Indonesia",
  it: "Italiano",
  nl: "Nederlands",
  pl: "Polski",
};
