import type { Translator } from "../i18n/format.ts";
import type { Api, ThreadComment } from "./api.ts";
import { h } from "./dom.ts";
import type { ThreadStorage } from "./storage.ts";
import type { CommentActions } from "./thread.ts";

/** What the comment actions need from the widget around them. */
export interface ActionContext {
  t: Translator;
  api: Api;
  store: ThreadStorage;
  /** Tells the reader something through the widget's polite status. */
  say: (message: string, isError?: boolean) => void;
  /** Shows comments fetched later (more replies) in the thread. */
  show: (comments: ThreadComment[]) => void;
}

/**
 * The controls under each published comment besides "Reply": a like button (`aria-pressed` and the count,
 * changed at once and put back if the server refuses), "Link" (copies the permalink), and under a root with
 * a long sub-thread "Show N more replies".
 */
export function commentActions({ t, api, store, say, show }: ActionContext): CommentActions {
  const liked = store.liked();

  const likeButton = (comment: ThreadComment) => {
    let likes = comment.likes ?? 0;
    let on = liked.has(comment.id);
    const count = h("span", null);
    const button = h("button", { type: "button", class: "lk" }, t.text("like"), " ", count);
    const render = () => {
      button.setAttribute("aria-pressed", String(on));
      count.textContent = t.number(likes);
      if (on) liked.add(comment.id);
      else liked.delete(comment.id);
      store.saveLiked(liked);
    };
    let busy = false;
    button.addEventListener("click", async () => {
      if (busy) return;
      busy = true;
      const before = { likes, on };
      on = !on;
      likes = Math.max(0, likes + (on ? 1 : -1));
      render();
      try {
        ({ likes, liked: on } = await api.like(comment.id, on));
      } catch {
        ({ likes, on } = before);
        say(t.text("likeFailed"), true);
      }
      render();
      busy = false;
    });
    render();
    return button;
  };

  const linkButton = (comment: ThreadComment) => {
    const button = h("button", { type: "button", class: "lk" }, t.text("link"));
    button.addEventListener("click", async () => {
      const url = api.permalink(comment.id);
      try {
        await navigator.clipboard.writeText(url);
        say(t.text("linkCopied"));
      } catch {
        // No clipboard (insecure page, refused permission): show the address so it can be copied by hand.
        say(url);
      }
    });
    return button;
  };

  const moreReplies = (comment: ThreadComment, li: HTMLLIElement) => {
    let left = comment.moreReplies ?? 0;
    let cursor: string | null = null;
    const button = h("button", { type: "button", class: "more mr" }, t.plural("moreReplies", left));
    button.addEventListener("click", async () => {
      button.setAttribute("aria-busy", "true");
      try {
        const page = await api.replies(comment.id, cursor);
        show(page.comments);
        cursor = page.nextCursor;
        left = Math.max(0, left - page.comments.length);
        button.textContent = t.plural("moreReplies", left);
        if (!cursor || left === 0) {
          button.remove();
          li.querySelector<HTMLElement>(`#comment-${CSS.escape(page.comments[0]?.id ?? "")}`)?.focus();
        }
      } catch {
        button.textContent = t.text("tryAgain");
      }
      button.removeAttribute("aria-busy");
    });
    // After the article and its replies: appended to the li itself (replies are inserted before it).
    queueMicrotask(() => li.append(button));
    return button;
  };

  return (comment, li) => {
    const nodes: Node[] = [likeButton(comment), linkButton(comment)];
    if ((comment.moreReplies ?? 0) > 0) moreReplies(comment, li);
    return nodes;
  };
}
