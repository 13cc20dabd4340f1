/** Theme tokens shared by the widget and the review page: internal name, public custom property, light default, dark default. */
const tokens: [string, string, string, string][] = [
  ["ac", "accent", "#0b5cad", "#8ab4f8"],
  ["on", "on-accent", "#fff", "#10131a"],
  ["bg", "bg", "#fff", "#17191c"],
  ["fg", "fg", "#1d2125", "#e8eaed"],
  ["mu", "muted", "#5b6470", "#a3aab3"],
  ["bd", "border", "#d5d9de", "#3c4148"],
  ["er", "error", "#b3261e", "#f28b82"],
  ["pe", "pending", "#fff6dc", "#3b3320"],
  ["fi", "field", "#fff", "#202327"],
];

// Light reads --cw-x, dark reads --cw-dark-x, so a host page can theme both with one set of variables.
/** CSS declarations of the light theme (`--bg:var(--cw-bg,#fff);…`). */
export const lightTheme = tokens.map(([name, prop, value]) => `--${name}:var(--cw-${prop},${value})`).join(";");
/** CSS declarations of the dark theme, including `color-scheme:dark`. */
export const darkTheme = tokens.map(([name, prop, , value]) => `--${name}:var(--cw-dark-${prop},${value})`).join(";") + ";color-scheme:dark";
