/** The languages the widget speaks; English ships inside the widget, every other one loads on demand. */
export const languages = ["en", "fa", "ps", "ar", "ur", "he", "es", "fr", "de", "pt", "ru", "tr", "uk", "zh", "ja", "ko", "hi", "id", "it", "nl", "pl"] as const;
export type Language = (typeof languages)[number];

/** Languages written right to left. */
const rightToLeft: readonly string[] = ["fa", "ps", "ar", "ur", "he"];

/** Writing direction of a language. */
export const directionOf = (lang: string): "ltr" | "rtl" => (rightToLeft.includes(lang) ? "rtl" : "ltr");

/**
 * The supported language for a BCP 47 tag (`fa-AF` → `fa`, `prs` (Dari) → `fa`, `pt-BR` → `pt`), or null.
 */
export function supportedLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  // Dari is written and read as Persian; `iw` is Hebrew's old code.
  const alias: Record<string, string> = { prs: "fa", pbt: "ps", pbu: "ps", iw: "he", in: "id" };
  const code = alias[base] ?? base;
  return (languages as readonly string[]).includes(code) ? (code as Language) : null;
}
