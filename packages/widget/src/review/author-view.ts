import { ApiError, type ModItem } from "./api.ts";
import { h } from "./dom.ts";
import { words } from "./i18n.ts";
import { safeFragment } from "./sanitize.ts";
import type { Shell } from "./shell.ts";
import { readableTime } from "./words.ts";

/**
 * "All comments by this author" (`GET …/authors/{ref}/comments`), newest first, in place of the queue: each
 * with its status, article and body; Esc or the button goes back to the same place in the queue.
 */
export class AuthorView {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly summary: HTMLParagraphElement;
  private readonly list: HTMLOListElement;
  private readonly more: HTMLButtonElement;
  private items: ModItem[] = [];
  private cursor: string | null = null;
  private target: ModItem | null = null;

  constructor(
    private readonly shell: Shell,
    private readonly onClose: () => void,
  ) {
    const w = words();
    this.title = h("h2", { attrs: { id: "cw-author-title", tabindex: "-1" } });
    this.summary = h("p", { class: "summary", attrs: { id: "cw-author-summary", role: "status" } });
    this.list = h("ol", { class: "author-comments", attrs: { "aria-labelledby": "cw-author-title" } });
    this.more = h("button", { text: w.authorMore, attrs: { type: "button", hidden: "" }, on: { click: () => void this.fetch() } });
    this.element = h("section", { class: "author-view", attrs: { hidden: "", "aria-labelledby": "cw-author-title" } },
      h("div", { class: "toolbar" }, this.title, h("button", { text: w.authorClose, attrs: { type: "button", id: "cw-author-close" }, on: { click: () => this.onClose() } })),
      this.summary,
      this.list,
      this.more,
    );
  }

  /** Shows the author of `item` and loads their newest comments. */
  async open(item: ModItem): Promise<void> {
    this.target = item;
    this.items = [];
    this.cursor = null;
    this.title.textContent = words().authorTitle(item.author.name);
    this.list.replaceChildren();
    this.element.hidden = false;
    this.title.focus();
    await this.fetch();
  }

  focus(): void {
    this.title.focus();
  }

  /** Esc closes; other keys are left alone. */
  handleKey(event: KeyboardEvent): boolean {
    if (event.key !== "Escape") return false;
    this.onClose();
    return true;
  }

  private async fetch(): Promise<void> {
    const item = this.target;
    if (!item?.author.ref) return;
    this.summary.textContent = words().authorLoading;
    try {
      const page = await this.shell.api.authorComments(item.siteId, item.author.ref, this.cursor);
      if (this.target !== item) return;
      this.items.push(...page.items);
      this.cursor = page.nextCursor;
      this.render();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(words().keyExpired);
      this.summary.textContent = `${words().authorFailed}: ${(error as Error).message}`;
    }
  }

  private render(): void {
    const w = words();
    this.summary.textContent = w.authorCount(this.items.length, this.cursor !== null);
    this.more.hidden = this.cursor === null;
    this.list.replaceChildren(
      ...this.items.map((comment) =>
        h("li", { class: `author-comment ${comment.status}`, attrs: { "data-comment-id": comment.id } },
          h("p", { class: "meta" },
            h("span", { class: `status ${comment.status}`, text: w.statuses[comment.status] ?? comment.status }),
            h("span", { class: "thread", text: comment.thread?.title || w.thread(comment.threadId) }),
            h("time", { text: readableTime(comment.createdAt), attrs: { datetime: comment.createdAt } }),
          ),
          h("div", { class: "body" }, safeFragment(comment.bodyHtml)),
        ),
      ),
    );
  }
}
