import type { Translator } from "../i18n/format.ts";
import type { ThreadComment as PublicComment } from "./api.ts";
import { h, withName } from "./dom.ts";
import { exactTime, relativeTime } from "./time.ts";

/** Replies nest this deep; deeper replies join their parent's list, marked "in reply to …". */
const maxDepth = 3;

interface ThreadNode {
  li: HTMLLIElement;
  replies: HTMLOListElement | null;
  depth: number;
  pending: boolean;
  name: string;
}

/** Extra controls of a published comment (like, link, more replies), made by the widget. */
export type CommentActions = (comment: PublicComment, li: HTMLLIElement) => Node[];

/**
 * The thread: count heading, the comments in the page's order with nested replies, and the reader's own
 * comments awaiting moderation (kept after the published ones). Names, links and times are built as text
 * and attributes; only the server's sanitized `bodyHtml` is inserted as HTML. Each comment's element id is
 * `comment-<id>`, the fragment of its permalink.
 */
export function createThreadView(t: Translator, onReply: (comment: PublicComment, li: HTMLLIElement, button: HTMLButtonElement) => void, actions: CommentActions = () => []) {
  const lang = t.lang;
  const heading = h("h2", { id: "cw-h" }, t.text("loading"));
  const list = h("ol", { "aria-labelledby": "cw-h" });
  const empty = h("p", { class: "hint", hidden: true }, t.text("empty"));
  const nodes = new Map<string, ThreadNode>();
  let count = 0;

  function setCount(n: number) {
    count = n;
    heading.textContent = t.plural("heading", n);
    empty.hidden = nodes.size > 0;
  }

  function article(comment: PublicComment, pending: boolean, inReplyTo: string | null, li: HTMLLIElement | null) {
    const { name, url } = comment.author;
    const author = url && /^https?:\/\//i.test(url) ? h("a", { class: "au", href: url, rel: "nofollow ugc noopener noreferrer" }, name) : h("span", { class: "au" }, name);
    const body = h("div", { class: "bd" });
    // Sanitized by the server (Markdown subset, raw HTML shown as text); never built from other strings.
    body.innerHTML = comment.bodyHtml;
    const reply = pending || !li ? null : h("button", { type: "button", class: "lk", "aria-expanded": "false" }, t.text("reply"));
    reply?.addEventListener("click", () => onReply(comment, li!, reply));
    return h(
      "article",
      // A featured copy (no li) carries no id: the one in the thread is the permalink's target.
      { id: li ? `comment-${comment.id}` : null, tabindex: -1 },
      h(
        "div",
        { class: "m" },
        author,
        h("time", { datetime: comment.createdAt, title: exactTime(comment.createdAt, lang) }, relativeTime(comment.createdAt, lang)),
        inReplyTo !== null && h("span", null, ...withName(t.text("inReplyTo"), inReplyTo)),
        pending && h("span", { class: "badge" }, t.text("pendingBadge")),
      ),
      body,
      li && !pending ? h("div", { class: "ac" }, reply, ...actions(comment, li)) : null,
    );
  }

  /** A featured comment, shown above the thread (a copy without actions). */
  const featured = (comment: PublicComment) => h("li", null, article(comment, false, null, null));

  /** Shows a comment once (a published copy replaces the reader's pending one); returns its article. */
  function add(comment: PublicComment, pending = false, atTop = false): HTMLElement {
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
        // Replies go before the root's "more replies" button, when it has one.
        target = parent.replies ??= parent.li.insertBefore(h("ol"), parent.li.querySelector(":scope>.mr"));
      }
    }
    const li = h("li", pending ? { class: "pe" } : null);
    li.append(article(comment, pending, inReplyTo, li));
    // The reader's pending comments stay after the published ones, which arrive oldest first.
    target.insertBefore(li, pending ? null : atTop && !parent ? target.firstChild : target.querySelector(":scope>.pe"));
    nodes.set(comment.id, { li, replies: existing?.replies ?? null, depth, pending, name: comment.author.name });
    if (existing?.replies) li.insertBefore(existing.replies, li.querySelector(":scope>.mr"));
    empty.hidden = true;
    return li.firstElementChild as HTMLElement;
  }

  /** Refreshes the relative times ("2 minutes ago"). */
  function tick() {
    for (const time of list.querySelectorAll("time")) time.textContent = relativeTime(time.dateTime, lang);
  }

  /** Forgets every comment shown (a new sort order starts over). */
  function reset() {
    nodes.clear();
    list.replaceChildren();
  }

  return {
    heading,
    list,
    empty,
    add,
    reset,
    featured,
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
