/**
 * "N comments" per language, shared by the widget's heading and count.js (kept apart from the strings table
 * so count.js stays tiny). `n` is the number already formatted for the language, `count` the raw number.
 */
export const countLabels: Record<string, (n: string, count: number) => string> = {
  en: (n, count) => (count === 1 ? "1 comment" : `${n} comments`),
  fa: (n) => `${n} دیدگاه`,
};
