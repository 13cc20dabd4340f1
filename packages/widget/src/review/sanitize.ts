/** Elements the server's renderer produces; anything else is dropped (its text kept). */
const allowed = new Set(["P", "BR", "EM", "STRONG", "B", "I", "CODE", "PRE", "A", "UL", "OL", "LI", "BLOCKQUOTE", "DEL", "S"]);
/** Elements whose content is never text a reader wrote. */
const dropped = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "SVG", "MATH", "NOSCRIPT"]);

/**
 * Copies server-rendered comment HTML into fresh nodes through an allow-list: the server already sanitizes
 * `bodyHtml`, this keeps the review page safe even if it ever did not. Only http, https and mailto links
 * survive, always with `rel="nofollow ugc noopener noreferrer"`.
 */
export function safeFragment(html: string): DocumentFragment {
  // DOMParser documents are inert: no scripts run, no images load.
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  copyChildren(parsed.body, out);
  return out;
}

function copyChildren(from: Node, to: Node): void {
  from.childNodes.forEach((node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.textContent ?? ""));
      return;
    }
    if (!(node instanceof Element) || dropped.has(node.tagName.toUpperCase())) return;
    const tag = node.tagName.toUpperCase();
    if (!allowed.has(tag)) {
      copyChildren(node, to);
      return;
    }
    const copy = document.createElement(tag.toLowerCase());
    if (tag === "A") {
      const href = node.getAttribute("href") ?? "";
      if (isSafeHref(href)) {
        copy.setAttribute("href", href);
        copy.setAttribute("rel", "nofollow ugc noopener noreferrer");
        copy.setAttribute("target", "_blank");
      }
    }
    copyChildren(node, copy);
    to.appendChild(copy);
  });
}

/** Absolute http(s) or mailto URLs only. */
export function isSafeHref(href: string): boolean {
  try {
    return ["http:", "https:", "mailto:"].includes(new URL(href).protocol);
  } catch {
    return false;
  }
}
