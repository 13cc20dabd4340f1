/** Finds the configured words that occur in `text` as whole words, ignoring case. */
export function findWords(text: string, words: readonly string[]): string[] {
  return words.filter((word) => {
    const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return escaped !== "" && new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, "iu").test(text);
  });
}
