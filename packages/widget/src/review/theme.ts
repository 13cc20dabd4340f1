/** `auto` follows prefers-color-scheme; the choice is kept in localStorage (it is not a secret). */
export type ThemeChoice = "auto" | "light" | "dark";

const storageKey = "cw-review-theme";
const order: ThemeChoice[] = ["auto", "dark", "light"];

export function savedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(storageKey);
    return value === "light" || value === "dark" ? value : "auto";
  } catch {
    return "auto";
  }
}

/** Applies a theme to the document (`data-theme` on <html>) and remembers it. */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice;
  try {
    if (choice === "auto") localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, choice);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

/** auto → dark → light → auto. */
export const nextTheme = (choice: ThemeChoice): ThemeChoice => order[(order.indexOf(choice) + 1) % order.length]!;
