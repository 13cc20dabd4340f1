import type { Translator } from "../i18n/format.ts";
import type { Comment } from "./api.ts";
import { byline } from "./author.ts";
import { h, withName } from "./dom.ts";
import { exactTime, relativeTime } from "./time.ts";

/** Replies nest this deep; deeper replies join their parent's list, marked "in reply to …". */
const maxDepth = 3;

interface ThreadNode {
  li: HTMLLIElement;
  comment: Comment;
  inReplyTo: string | null;
  replies: HTMLOListElement | null;
  depth: number;
  pending: boolean;
  name: string;
}

/** Extra controls of a published comment (like, link, more replies), made by the widget. */
export type CommentActions = (comment: Comment, li: HTMLLIElement) => Node[];

/**
 * The thread: count heading, the comments in the page's order with nested replies, and the reader's own
 * comments awaiting moderation (kept after the published ones). Names, links and times are built as text
 * and attributes; only the server's sanitized `bodyHtml` is inserted as HTML. Each comment's element id is
 * `comment-<id>`, the fragment of its permalink. `onShown` runs for every article shown in the thread (the widget
 * adds the reader's Edit and Delete to their own comments there); `actions` adds the controls of a published
 * comment (like, link, more replies).
 */
export function createThreadView(
  t: Translator,
  onReply: (comment: Comment, li: HTMLLIElement, button: HTMLButtonElement) => void,
  hooks: { onShown?: (comment: Comment, article: HTMLElement, pending: boolean) => void; actions?: CommentActions } = {},
) {
  const onShown = hooks.onShown ?? (() => undefined);
  const actions = hooks.actions ?? (() => []);
  const lang = t.lang;
  const heading = h("h2", { id: "cw-h", tabindex: -1 }, t.text("loading"));
  const list = h("ol", { "aria-labelledby": "cw-h" });
  const empty = h("p", { class: "hint", hidden: true }, t.text("empty"));
  const nodes = new Map<string, ThreadNode>();
  let count = 0;

  function setCount(n: number) {
    count = n;
    heading.textContent = t.plural("heading", n);
    empty.hidden = nodes.size > 0;
  }

  function article(comment: Comment, pending: boolean, inReplyTo: string | null, li: HTMLLIElement | null) {
    const when = (iso: string) => h("time", { datetime: iso, title: exactTime(iso, lang) }, relativeTime(iso, lang));
    const context = inReplyTo !== null && h("span", null, ...withName(t.text("inReplyTo"), inReplyTo));
    // A featured copy (no li) carries no id: the one in the thread is the permalink's target.
    const id = li ? `comment-${comment.id}` : null;
    // A deleted comment that still has replies: a placeholder keeps the conversation readable.
    if (comment.deleted) {
      return h("article", { id, tabindex: -1, class: "dl" }, h("div", { class: "m" }, when(comment.createdAt), context), h("p", { class: "hint" }, t.text("deletedComment")));
    }
    const body = h("div", { class: "bd" });
    // Sanitized by the server (Markdown subset, raw HTML shown as text); never built from other strings.
    body.innerHTML = comment.bodyHtml;
    const reply = pending || !li ? null : h("button", { type: "button", class: "lk rp", "aria-expanded": "false" }, t.text("reply"));
    reply?.addEventListener("click", () => onReply(comment, li!, reply));
    const edited = comment.editedAt ? h("span", { title: exactTime(comment.editedAt, lang) }, t.text("edited")) : null;
    const shown = h(
      "article",
      { id, tabindex: -1 },
      h("div", { class: "m" }, ...byline(comment, t), when(comment.createdAt), edited, context, pending && h("span", { class: "badge" }, t.text("pendingBadge"))),
      body,
      li ? h("div", { class: "ac" }, reply, ...(pending ? [] : actions(comment, li))) : null,
    );
    if (li) onShown(comment, shown, pending);
    return shown;
  }

  /** A featured comment, shown above the thread (a copy without actions). */
  const featured = (comment: Comment) => h("li", null, article(comment, false, null, null));

  /** Shows a comment once (a published copy replaces the reader's pending one); returns its article. */
  function add(comment: Comment, pending = false, atTop = false): HTMLElement {
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
    nodes.set(comment.id, { li, comment, inReplyTo, replies: existing?.replies ?? null, depth, pending, name: comment.author.name });
    if (existing?.replies) li.insertBefore(existing.replies, li.querySelector(":scope>.mr"));
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
