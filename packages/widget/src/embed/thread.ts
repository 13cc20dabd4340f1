import type { PublicComment } from "@comments/core";
import type { Translator } from "../i18n/format.ts";
import { h, withName } from "./dom.ts";
import { exactTime, relativeTime } from "./time.ts";

/** Replies nest this deep; deeper replies join their parent's list, marked "in reply to …". */
const maxDepth = 3;

interface Node {
  li: HTMLLIElement;
  replies: HTMLOListElement | null;
  depth: number;
  pending: boolean;
  name: string;
}

/**
 * The thread: count heading, the comments oldest first with nested replies, and the reader's own
 * comments awaiting moderation (kept after the published ones). Names, links and times are built as text
 * and attributes; only the server's sanitized `bodyHtml` is inserted as HTML.
 */
export function createThreadView(t: Translator, onReply: (comment: PublicComment, li: HTMLLIElement, button: HTMLButtonElement) => void) {
  const lang = t.lang;
  const heading = h("h2", { id: "cw-h" }, t.text("loading"));
  const list = h("ol", { "aria-labelledby": "cw-h" });
  const empty = h("p", { class: "hint", hidden: true }, t.text("empty"));
  const nodes = new Map<string, Node>();
  let count = 0;

  function setCount(n: number) {
    count = n;
    heading.textContent = t.plural("heading", n);
    empty.hidden = nodes.size > 0;
  }

  function article(comment: PublicComment, pending: boolean, inReplyTo: string | null, li: HTMLLIElement) {
    const { name, url } = comment.author;
    const author = url && /^https?:\/\//i.test(url) ? h("a", { class: "au", href: url, rel: "nofollow ugc noopener noreferrer" }, name) : h("span", { class: "au" }, name);
    const body = h("div", { class: "bd" });
    // Sanitized by the server (Markdown subset, raw HTML shown as text); never built from other strings.
    body.innerHTML = comment.bodyHtml;
    const reply = pending ? null : h("button", { type: "button", class: "lk", "aria-expanded": "false" }, t.text("reply"));
    reply?.addEventListener("click", () => onReply(comment, li, reply));
    return h(
      "article",
      { id: `c-${comment.id}`, tabindex: -1 },
      h(
        "div",
        { class: "m" },
        author,
        h("time", { datetime: comment.createdAt, title: exactTime(comment.createdAt, lang) }, relativeTime(comment.createdAt, lang)),
        inReplyTo !== null && h("span", null, ...withName(t.text("inReplyTo"), inReplyTo)),
        pending && h("span", { class: "badge" }, t.text("pendingBadge")),
      ),
      body,
      reply,
    );
  }

  /** Shows a comment once (a published copy replaces the reader's pending one); returns its article. */
  function add(comment: PublicComment, pending = false): HTMLElement {
    const existing = nodes.get(comment.id);
    if (existing && (!existing.pending || pending)) return existing.li.firstElementChild as HTMLElement;
    existing?.li.remove();

    const parent = comment.parentId ? nodes.get(comment.parentId) : undefined;
    let target = list;
    let depth = 0;
    let inReplyTo: string | null = null;
    if (parent) {
      depth = parent.depth + 1;
      if (depth > maxDepth) {
        depth = maxDepth;
        target = parent.li.parentElement as HTMLOListElement;
        inReplyTo = parent.name;
      } else {
        target = parent.replies ??= parent.li.appendChild(h("ol"));
      }
    }
    const li = h("li", pending ? { class: "pe" } : null);
    li.append(article(comment, pending, inReplyTo, li));
    // The reader's pending comments stay after the published ones, which arrive oldest first.
    target.insertBefore(li, pending ? null : target.querySelector(":scope>.pe"));
    nodes.set(comment.id, { li, replies: existing?.replies ?? null, depth, pending, name: comment.author.name });
    if (existing?.replies) li.append(existing.replies);
    empty.hidden = true;
    return li.firstElementChild as HTMLElement;
  }

  /** Refreshes the relative times ("2 minutes ago"). */
  function tick() {
    for (const time of list.querySelectorAll("time")) time.textContent = relativeTime(time.dateTime, lang);
  }

  return {
    heading,
    list,
    empty,
    add,
    setCount,
    tick,
    has: (id: string) => nodes.has(id),
    find: (id: string) => nodes.get(id)?.li ?? null,
    get count() {
      return count;
    },
  };
}

/** The thread part of one widget. */
export type ThreadView = ReturnType<typeof createThreadView>;
