import type { Translator } from "../i18n/format.ts";
import type { Comment } from "./api.ts";
import { byline } from "./author.ts";
import { h, withName } from "./dom.ts";
import { exactTime, relativeTime } from "./time.ts";

/** Replies nest this deep; deeper replies join their parent's list, marked "in reply to …". */
const maxDepth = 3;

interface Node {
  li: HTMLLIElement;
  comment: Comment;
  inReplyTo: string | null;
  replies: HTMLOListElement | null;
  depth: number;
  pending: boolean;
  name: string;
}

/**
 * The thread: count heading, the comments oldest first with nested replies, and the reader's own
 * comments awaiting moderation (kept after the published ones). Names, links and times are built as text
 * and attributes; only the server's sanitized `bodyHtml` is inserted as HTML. `onShown` runs for every
 * article shown (the widget adds the reader's Edit and Delete to their own comments there).
 */
export function createThreadView(
  t: Translator,
  onReply: (comment: Comment, li: HTMLLIElement, button: HTMLButtonElement) => void,
  onShown: (comment: Comment, article: HTMLElement, pending: boolean) => void = () => undefined,
) {
  const lang = t.lang;
  const heading = h("h2", { id: "cw-h", tabindex: -1 }, t.text("loading"));
  const list = h("ol", { "aria-labelledby": "cw-h" });
  const empty = h("p", { class: "hint", hidden: true }, t.text("empty"));
  const nodes = new Map<string, Node>();
  let count = 0;

  function setCount(n: number) {
    count = n;
    heading.textContent = t.plural("heading", n);
    empty.hidden = nodes.size > 0;
  }

  function article(comment: Comment, pending: boolean, inReplyTo: string | null, li: HTMLLIElement) {
    const when = (iso: string) => h("time", { datetime: iso, title: exactTime(iso, lang) }, relativeTime(iso, lang));
    const context = inReplyTo !== null && h("span", null, ...withName(t.text("inReplyTo"), inReplyTo));
    // A deleted comment that still has replies: a placeholder keeps the conversation readable.
    if (comment.deleted) {
      return h("article", { id: `c-${comment.id}`, tabindex: -1, class: "dl" }, h("div", { class: "m" }, when(comment.createdAt), context), h("p", { class: "hint" }, t.text("deletedComment")));
    }
    const body = h("div", { class: "bd" });
    // Sanitized by the server (Markdown subset, raw HTML shown as text); never built from other strings.
    body.innerHTML = comment.bodyHtml;
    const reply = pending ? null : h("button", { type: "button", class: "lk rp", "aria-expanded": "false" }, t.text("reply"));
    reply?.addEventListener("click", () => onReply(comment, li, reply));
    const edited = comment.editedAt ? h("span", { title: exactTime(comment.editedAt, lang) }, t.text("edited")) : null;
    const shown = h(
      "article",
      { id: `c-${comment.id}`, tabindex: -1 },
      h("div", { class: "m" }, ...byline(comment, t), when(comment.createdAt), edited, context, pending && h("span", { class: "badge" }, t.text("pendingBadge"))),
      body,
      h("div", { class: "ac" }, reply),
    );
    onShown(comment, shown, pending);
    return shown;
  }

  /** Shows a comment once (a published copy replaces the reader's pending one); returns its article. */
  function add(comment: Comment, pending = false): HTMLElement {
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
    nodes.set(comment.id, { li, comment, inReplyTo, replies: existing?.replies ?? null, depth, pending, name: comment.author.name });
    if (existing?.replies) li.append(existing.replies);
    empty.hidden = true;
    return li.firstElementChild as HTMLElement;
  }

  /** Shows a changed comment (an edit, or the placeholder of a deletion) where it was; returns its article. */
  function update(comment: Comment, pending = false): HTMLElement | null {
    const node = nodes.get(comment.id);
    if (!node) return null;
    const next = article(comment, pending, node.inReplyTo, node.li);
    node.li.firstElementChild!.replaceWith(next);
    Object.assign(node, { comment, pending });
    node.li.classList.toggle("pe", pending);
    return next;
  }

  /** Takes a comment out of the thread (its replies, if any, go with it). */
  function remove(id: string): void {
    nodes.get(id)?.li.remove();
    nodes.delete(id);
    empty.hidden = nodes.size > 0;
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
    update,
    remove,
    has: (id: string) => nodes.has(id),
    /** Whether a comment has replies shown under it (deleting it then leaves a placeholder). */
    hasReplies: (id: string) => (nodes.get(id)?.replies?.childElementCount ?? 0) > 0,
    comment: (id: string) => nodes.get(id)?.comment ?? null,
    find: (id: string) => nodes.get(id)?.li ?? null,
    get count() {
      return count;
    },
  };
}

/** The thread part of one widget. */
export type ThreadView = ReturnType<typeof createThreadView>;
