import type { ModComment } from "@comments/core";
import { ApiError, type DecisionAction } from "./api.ts";
import { articleUrl } from "./config.ts";
import { h, isTyping } from "./dom.ts";
import { safeFragment } from "./sanitize.ts";
import { siteName, type Shell } from "./shell.ts";
import { isFlaggedPublished, readableTime, reasonsInWords } from "./words.ts";

/** A queued comment and its place in the merged queue (to put it back there on rollback). */
interface QueueItem extends ModComment {
  order: number;
}

const verbs: Record<DecisionAction, { doing: string; done: string }> = {
  approve: { doing: "approve", done: "Approved" },
  reject: { doing: "reject", done: "Rejected" },
  spam: { doing: "mark as spam", done: "Marked as spam" },
};

/** Comments fetched per site and page; the rest load when these are done. */
const pageSize = 100;

/**
 * Merges per-site queues (each oldest first) into one list, oldest comment first, keeping each site's own
 * order (a flagged comment sits where its site's queue puts it).
 */
export function mergeQueues(queues: ModComment[][]): ModComment[] {
  const heads = queues.map(() => 0);
  const merged: ModComment[] = [];
  for (;;) {
    let best = -1;
    queues.forEach((queue, index) => {
      const candidate = queue[heads[index]!];
      if (candidate && (best < 0 || candidate.createdAt < queues[best]![heads[best]!]!.createdAt)) best = index;
    });
    if (best < 0) return merged;
    merged.push(queues[best]![heads[best]!]!);
    heads[best]!++;
  }
}

/**
 * The queue tab: one merged queue for the visible sites, one click or one key per decision, optimistic with
 * rollback. Keys: j/k move, a approve (dismiss flags), r reject, s spam, b ban, n note.
 */
export class QueueView {
  readonly element: HTMLElement;
  private items: QueueItem[] = [];
  private selected = 0;
  private hasMore = false;
  private loaded = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly list: HTMLOListElement;
  private readonly summary: HTMLParagraphElement;
  private readonly note: HTMLInputElement;
  private readonly banForm: HTMLFormElement;
  private readonly banTitle: HTMLParagraphElement;
  private readonly banDays: HTMLInputElement;
  private readonly banReason: HTMLInputElement;
  private readonly banError: HTMLParagraphElement;
  private banTarget: QueueItem | null = null;

  constructor(private readonly shell: Shell) {
    this.summary = h("p", { class: "summary", attrs: { id: "cw-queue-summary", tabindex: "-1" } });
    this.note = h("input", { attrs: { id: "cw-note", type: "text", maxlength: "1000", autocomplete: "off", placeholder: "Why (saved in the audit log)" } });
    this.note.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "Escape") {
        event.preventDefault();
        this.focusSelected();
      }
    });
    this.list = h("ol", { class: "queue", attrs: { "aria-labelledby": "cw-queue-summary" } });
    this.banTitle = h("p", { class: "ban-title" });
    this.banDays = h("input", { attrs: { id: "cw-ban-days", type: "text", inputmode: "numeric", value: "7", autocomplete: "off", "aria-describedby": "cw-ban-days-help" } });
    this.banReason = h("input", { attrs: { id: "cw-ban-reason", type: "text", maxlength: "500", autocomplete: "off", required: "" } });
    this.banError = h("p", { class: "field-error", attrs: { id: "cw-ban-error", role: "alert" } });
    this.banForm = h(
      "form",
      { class: "ban-form", attrs: { hidden: "", "aria-label": "Ban the author" } },
      this.banTitle,
      h("div", { class: "fields" },
        h("label", { attrs: { for: "cw-ban-days" } }, "Days ", h("span", { class: "hint", attrs: { id: "cw-ban-days-help" }, text: "(empty: permanent)" })),
        this.banDays,
        h("label", { attrs: { for: "cw-ban-reason" }, text: "Reason" }),
        this.banReason,
      ),
      this.banError,
      h("div", { class: "buttons" },
        h("button", { class: "danger", text: "Ban and reject (Enter)", attrs: { type: "submit" } }),
        h("button", { text: "Cancel (Esc)", attrs: { type: "button" }, on: { click: () => this.closeBan() } }),
      ),
    );
    this.banForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submitBan();
    });
    this.banForm.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.closeBan();
      }
    });
    this.element = h(
      "section",
      { class: "queue-view" },
      h("div", { class: "toolbar" },
        this.summary,
        h("label", { class: "note", attrs: { for: "cw-note" } }, "Note for the next decision ", h("kbd", { text: "n" })),
        this.note,
        h("button", { text: "Refresh", attrs: { type: "button" }, on: { click: () => void this.load() } }),
      ),
      this.banForm,
      this.list,
    );
  }

  /** Loads the first page of every visible site's queue and merges them. */
  async load(): Promise<void> {
    this.summary.textContent = "Loading the queue…";
    const sites = this.shell.visibleSites();
    try {
      const pages = await Promise.all(sites.map((site) => this.shell.api.queue(site.id, null, pageSize)));
      this.items = mergeQueues(pages.map((page) => page.items)).map((item, order) => ({ ...item, order }));
      this.hasMore = pages.some((page) => page.nextCursor !== null);
      this.selected = 0;
      this.loaded = true;
      this.render();
      this.keepFocus();
    } catch (error) {
      this.fail(error, "Could not load the queue");
    }
  }

  /** Handles a shortcut; returns true when the key was used. */
  handleKey(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || !this.banForm.hidden) return false;
    const item = this.items[this.selected];
    switch (event.key) {
      case "j":
      case "ArrowDown":
        if (event.key === "ArrowDown" && !this.list.contains(event.target as Node)) return false;
        this.move(1);
        return true;
      case "k":
      case "ArrowUp":
        if (event.key === "ArrowUp" && !this.list.contains(event.target as Node)) return false;
        this.move(-1);
        return true;
      case "n":
        this.note.focus();
        return true;
      case "a":
      case "r":
      case "s":
        // A held-down key must not decide a run of comments.
        if (item && !event.repeat) this.decide(item, event.key === "a" ? "approve" : event.key === "r" ? "reject" : "spam");
        return true;
      case "b":
        if (item && !event.repeat) this.openBan(item);
        return true;
      default:
        return false;
    }
  }

  /** Moves focus to the selected comment (or the summary when the queue is empty). */
  focusSelected(): void {
    const element = this.list.children[this.selected] as HTMLElement | undefined;
    if (element) {
      element.focus();
      element.scrollIntoView({ block: "nearest" });
    } else {
      // Nothing left to decide: focus the summary, so "The queue is empty" is what a screen reader says next.
      this.summary.focus();
    }
  }

  private move(delta: number): void {
    if (this.items.length === 0) return;
    this.select(Math.min(this.items.length - 1, Math.max(0, this.selected + delta)));
  }

  private select(index: number): void {
    this.selected = index;
    this.render();
    this.focusSelected();
  }

  /** Follows the selection with focus, unless the moderator is busy elsewhere (typing a note, another tab). */
  private keepFocus(): void {
    const active = document.activeElement;
    if (!active || active === document.body || active === this.summary || this.list.contains(active)) this.focusSelected();
  }

  private decide(item: QueueItem, action: DecisionAction): void {
    const note = this.takeNote(item);
    this.remove(item);
    const name = item.author.name;
    this.track(
      this.shell.api.decide(item.siteId, item.threadId, item.id, action, note).then(
        () => this.shell.announce(`${verbs[action].done}: the comment by ${name}.`),
        (error: unknown) => this.settleFailure(item, error, `Could not ${verbs[action].doing} the comment by ${name}`),
      ),
    );
  }

  private openBan(item: QueueItem): void {
    this.banTarget = item;
    this.banTitle.textContent = `Ban ${item.author.name}${item.author.email ? ` (${item.author.email})` : ""} and reject this comment.`;
    this.banDays.value = "7";
    this.banReason.value = reasonsInWords(item).join("; ").slice(0, 500) || "abusive comments";
    this.banError.textContent = "";
    this.banForm.hidden = false;
    this.banDays.focus();
    this.banDays.select();
  }

  private closeBan(): void {
    this.banForm.hidden = true;
    this.banTarget = null;
    this.focusSelected();
  }

  private async submitBan(): Promise<void> {
    const item = this.banTarget;
    if (!item) return;
    const daysText = this.banDays.value.trim();
    const days = daysText === "" ? undefined : Number(daysText);
    const reason = this.banReason.value.trim();
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 36500)) {
      this.banError.textContent = "Days must be a whole number from 1 to 36500, or empty for a permanent ban.";
      this.banDays.focus();
      return;
    }
    if (reason === "") {
      this.banError.textContent = "Please give a reason.";
      this.banReason.focus();
      return;
    }
    this.banForm.hidden = true;
    this.banTarget = null;
    const typed = this.note.value.trim();
    this.note.value = "";
    const note = `${typed ? `${typed}; ` : ""}banned ${days ? `for ${days} days` : "permanently"}: ${reason}`.slice(0, 1000);
    this.remove(item);
    // The form just hid the focused field: hand focus back to the queue.
    this.focusSelected();
    const name = item.author.name;
    this.track(
      this.shell.api
        .ban(item.siteId, { threadId: item.threadId, commentId: item.id, reason, ...(days ? { days } : {}) })
        .then(
          () =>
            this.shell.api.decide(item.siteId, item.threadId, item.id, "reject", note).then(
              () => this.shell.announce(`Banned ${name} ${days ? `for ${days} days` : "permanently"} and rejected the comment.`),
              (error: unknown) => this.settleFailure(item, error, `Banned ${name}, but could not reject the comment`),
            ),
          (error: unknown) => this.settleFailure(item, error, `Could not ban ${name}`),
        ),
    );
  }

  /** The typed note, or the reasons in words, so every audit entry says why. */
  private takeNote(item: QueueItem): string | undefined {
    const typed = this.note.value.trim();
    this.note.value = "";
    const why = typed || (reasonsInWords(item).length > 0 ? `reasons: ${reasonsInWords(item).join("; ")}` : "");
    return why ? why.slice(0, 1000) : undefined;
  }

  /** A failed decision: someone else decided (move on), the key died (sign out), or roll back. */
  private settleFailure(item: QueueItem, error: unknown, what: string): void {
    if (error instanceof ApiError && error.code === "already_decided") {
      const by = typeof error.extra.decidedBy === "string" && error.extra.decidedBy ? error.extra.decidedBy : "another moderator";
      const status = typeof error.extra.status === "string" ? ` (now ${error.extra.status})` : "";
      this.shell.announce(`The comment by ${item.author.name} was already decided by ${by}${status}. Moved on.`);
      return;
    }
    if (error instanceof ApiError && error.code === "comment_not_found") {
      this.shell.announce(`The comment by ${item.author.name} no longer exists. Moved on.`);
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      this.shell.signOut("Your moderator key is no longer accepted. Please sign in again.");
      return;
    }
    this.restore(item);
    this.shell.announce(`${what}: ${error instanceof Error ? error.message : String(error)} It is back in the list.`, "error");
  }

  private remove(item: QueueItem): void {
    const index = this.items.indexOf(item);
    if (index < 0) return;
    this.items.splice(index, 1);
    this.selected = Math.min(index, Math.max(0, this.items.length - 1));
    this.render();
    this.keepFocus();
  }

  private restore(item: QueueItem): void {
    if (this.items.includes(item)) return;
    const at = this.items.findIndex((other) => other.order > item.order);
    const index = at < 0 ? this.items.length : at;
    this.items.splice(index, 0, item);
    this.selected = index;
    this.render();
    this.keepFocus();
  }

  /** Keeps count of requests in flight; when the loaded comments are done and more wait, loads them. */
  private track(request: Promise<unknown>): void {
    this.inFlight.add(request);
    void request.finally(() => {
      this.inFlight.delete(request);
      if (this.inFlight.size === 0 && this.items.length === 0 && this.hasMore) void this.load();
    });
  }

  private fail(error: unknown, what: string): void {
    if (error instanceof ApiError && error.status === 401) {
      this.shell.signOut("Your moderator key is no longer accepted. Please sign in again.");
      return;
    }
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    this.summary.textContent = message;
    this.shell.announce(message, "error");
  }

  private render(): void {
    const count = this.items.length;
    this.summary.textContent = !this.loaded
      ? "Loading the queue…"
      : count === 0
        ? this.hasMore
          ? "Loading more comments…"
          : "The queue is empty. Nothing waits for a decision."
        : `${count} ${count === 1 ? "comment waits" : "comments wait"} for a decision${this.hasMore ? " (more load when these are done)" : ""}.`;
    this.list.replaceChildren(...this.items.map((item, index) => this.renderItem(item, index)));
  }

  private renderItem(item: QueueItem, index: number): HTMLElement {
    const current = index === this.selected;
    const flagged = isFlaggedPublished(item);
    const link = articleUrl(this.shell.config, item.siteId, item.threadId);
    const threadLabel = `Thread: ${item.threadId}`;
    const author = item.author.url
      ? h("a", { class: "author", text: item.author.name, attrs: { href: item.author.url, rel: "nofollow ugc noopener noreferrer", target: "_blank" } })
      : h("span", { class: "author", text: item.author.name });
    const button = (action: DecisionAction | "ban", label: string, key: string, extraClass = "") =>
      h("button", {
        class: `act ${action} ${extraClass}`.trim(),
        attrs: { type: "button", "aria-keyshortcuts": key, "data-action": action, tabindex: current ? "0" : "-1" },
        on: {
          click: (event) => {
            event.stopPropagation();
            if (action === "ban") this.openBan(item);
            else this.decide(item, action);
          },
        },
      }, label, " ", h("kbd", { text: key }));
    const element = h(
      "li",
      {
        class: `item${flagged ? " flagged" : ""}`,
        attrs: {
          id: `cw-item-${item.siteId}-${item.id}`,
          tabindex: current ? "0" : "-1",
          "aria-current": String(current),
          "aria-label": `Comment by ${item.author.name}${flagged ? ", published and flagged" : ""}`,
          "data-comment-id": item.id,
        },
        on: {
          click: () => {
            const at = this.items.indexOf(item);
            if (at >= 0 && at !== this.selected) this.select(at);
          },
        },
      },
      h("div", { class: "meta" },
        this.shell.sites.length > 1 ? h("span", { class: "site", text: siteName(this.shell, item.siteId) }) : null,
        link ? h("a", { class: "thread", text: threadLabel, attrs: { href: link, target: "_blank", rel: "noopener noreferrer" } }) : h("span", { class: "thread", text: threadLabel }),
        h("time", { text: readableTime(item.createdAt), attrs: { datetime: item.createdAt } }),
      ),
      h("div", { class: "who" },
        author,
        h("span", { class: "email", text: item.author.email ?? "no email given" }),
        h("span", { class: "score", text: item.captchaScore === null ? "captcha: no score" : `captcha ${item.captchaScore}` }),
        h("span", { class: `status ${item.status}`, text: flagged ? "published, flagged" : item.status }),
      ),
      h("ul", { class: "reasons", attrs: { "aria-label": "Why it is here" } }, ...reasonsInWords(item).map((words) => h("li", { text: words }))),
      h("div", { class: "body" }, safeFragment(item.bodyHtml)),
      h("div", { class: "actions" },
        button("approve", flagged ? "Dismiss flags" : "Approve", "a", "primary"),
        button("reject", "Reject", "r"),
        button("spam", "Spam", "s"),
        button("ban", "Ban author", "b", "danger"),
      ),
    );
    return element;
  }
}
