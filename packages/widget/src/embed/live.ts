import type { Translator } from "../i18n/format.ts";
import type { ThreadPage } from "./api.ts";
import { h } from "./dom.ts";

/** A live-update check: `null` while nothing changed (a 304), else the first page as it is now. */
export type LiveCheck = (etag: string | null) => Promise<{ page: ThreadPage; etag: string | null } | null>;

/**
 * Live updates: while the page is visible, checks the thread every `seconds` and, when it holds more comments
 * than the reader sees, shows a polite "N new comments" button in a slot whose room is kept from the start, so
 * nothing on the page moves. Pressing it hands the new page to `reveal`. No checks while the tab is hidden.
 * Returns the slot to place above the thread.
 */
export function liveUpdates(t: Translator, seconds: number, check: LiveCheck, shownCount: () => number, reveal: (page: ThreadPage) => void): HTMLElement {
  const button = h("button", { type: "button", class: "more", hidden: true });
  const slot = h("div", { class: "nw", "aria-live": "polite" }, button);
  let etag: string | null = null;
  let latest: ThreadPage | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const visible = () => document.visibilityState === "visible";

  const schedule = () => {
    if (timer === undefined && visible()) timer = setTimeout(run, seconds * 1000);
  };
  async function run() {
    timer = undefined;
    if (!visible()) return;
    try {
      const answer = await check(etag);
      if (answer) {
        ({ etag, page: latest } = answer);
        const fresh = latest.thread.commentCount - shownCount();
        button.hidden = fresh <= 0;
        if (fresh > 0) button.textContent = t.plural("newComments", fresh);
      }
    } catch {
      // Offline for a moment: the next check tries again.
    }
    schedule();
  }

  document.addEventListener("visibilitychange", () => {
    if (visible()) schedule();
    else {
      clearTimeout(timer);
      timer = undefined;
    }
  });
  button.addEventListener("click", () => {
    button.hidden = true;
    if (latest) reveal(latest);
  });
  schedule();
  return slot;
}
