/** Attribute values for {@link h}; `false`, `null` and `undefined` leave the attribute out. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;

/** A child for {@link h}: nodes are appended, strings become text nodes (never parsed as HTML). */
export type Child = Node | string | null | undefined | false;

/**
 * Creates an element with attributes and children. Text is always inserted as text, so names and
 * messages can never become markup.
 * @example h("p", { class: "hint" }, "Never published.")
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === true) element.setAttribute(name, "");
    else if (value !== false && value != null) element.setAttribute(name, String(value));
  }
  element.append(...(children.filter((child) => child || child === "") as (Node | string)[]));
  return element;
}

/**
 * A sentence with a person's name in it, as nodes: the name goes in its own `<bdi>`, so a right-to-left name
 * in a left-to-right sentence (or the reverse) never reorders the words around it.
 * @example withName("Replying to {name}", "زهرا")
 */
export function withName(template: string, name: string): (string | HTMLElement)[] {
  const [before = "", after = ""] = template.split("{name}");
  return [before, h("bdi", null, name), after];
}
