import { ApiError, type DecisionAction, type ModItem } from "./api.ts";
import { AuthorView } from "./author-view.ts";
import { BanForm, type BanChoice } from "./ban-form.ts";
import { BulkBar } from "./bulk-bar.ts";
import { h, isTyping } from "./dom.ts";
import { words } from "./i18n.ts";
import { mergeQueues } from "./merge.ts";
import { QueueFilter } from "./queue-filter.ts";
import { renderQueueItem } from "./queue-item.ts";
import type { Shell } from "./shell.ts";
import { reasonsInWords } from "./words.ts";

export { mergeQueues } from "./merge.ts";

/** A queued comment and its place in the merged queue (to put it back there on rollback). */
export interface QueueItem extends ModItem {
  order: number;
}

/** Comments fetched per site and page; the rest load when these are done. */
const pageSize = 100;

/**
 * The queue tab: one merged queue for the visible sites, filtered by reason, one click or one key per decision
 * (or per selection), optimistic with rollback. Keys: j/k move, x select, * select all, a approve (dismiss
 * flags), r reject, s spam, b ban, u author history, n note, Esc clear.
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
  private readonly banForm: BanForm;
  private readonly filter: QueueFilter;
  private readonly bulk: BulkBar;
  private readonly author: AuthorView;
  private readonly queuePart: HTMLElement;

  constructor(private readonly shell: Shell) {
    const w = words();
    this.summary = h("p", { class: "summary", attrs: { id: "cw-queue-summary", tabindex: "-1" } });
    this.note = h("input", { attrs: { id: "cw-note", type: "text", maxlength: "1000", autocomplete: "off", placeholder: w.notePlaceholder } });
    this.note.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "Escape") {
        event.preventDefault();
        this.focusSelected();
      }
    });
    this.list = h("ol", { class: "queue", attrs: { "aria-labelledby": "cw-queue-summary" } });
    this.banForm = new BanForm((choice) => this.ban(choice), () => this.focusSelected());
    this.filter = new QueueFilter(() => this.refilter());
    this.bulk = new BulkBar(shell, {
      visible: () => this.visible(),
      remove: (items) => this.removeMany(items as QueueItem[]),
      restore: (items) => items.forEach((item) => this.restore(item as QueueItem)),
      rerender: () => this.render(),
      takeNote: () => this.takeTypedNote(),
      track: (request) => this.track(request),
    });
    this.author = new AuthorView(shell, () => this.closeAuthor());
    this.queuePart = h("div", { class: "queue-part" },
      h("div", { class: "toolbar" },
        this.summary,
        this.filter.element,
        h("label", { class: "note", attrs: { for: "cw-note" } }, `${w.noteLabel} `, h("kbd", { text: "n" })),
        this.note,
        h("button", { text: w.refresh, attrs: { type: "button" }, on: { click: () => void this.load() } }),
      ),
      this.bulk.element,
      this.banForm.element,
      this.list,
    );
    this.element = h("section", { class: "queue-view" }, this.queuePart, this.author.element);
  }

  /** Loads the first page of every visible site's queue and merges them. */
  async load(): Promise<void> {
    this.summary.textContent = words().loadingQueue;
    const sites = this.shell.visibleSites();
    try {
      const pages = await Promise.all(sites.map((site) => this.shell.api.queue(site.id, null, pageSize)));
      this.items = mergeQueues(pages.map((page) => page.items)).map((item, order) => ({ ...item, order }));
      this.hasMore = pages.some((page) => page.nextCursor !== null);
      this.selected = 0;
      this.loaded = true;
      this.bulk.clear();
      this.filter.update(this.items);
      this.render();
      this.keepFocus();
    } catch (error) {
      this.fail(error, words().queueFailed);
    }
  }

  /** Handles a shortcut; returns true when the key was used. */
  handleKey(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || this.banForm.isOpen) return false;
    if (!this.author.element.hidden) return this.author.handleKey(event);
    const visible = this.visible();
    const item = visible[this.selected];
    const inList = this.list.contains(event.target as Node);
    switch (event.key) {
      case "j":
      case "ArrowDown":
        if (event.key === "ArrowDown" && !inList) return false;
        this.move(1);
        return true;
      case "k":
      case "ArrowUp":
        if (event.key === "ArrowUp" && !inList) return false;
        this.move(-1);
        return true;
      case "n":
        this.note.focus();
        return true;
      case "x":
        if (item && !event.repeat) this.toggle(item, false);
        return true;
      case "X":
        if (item && !event.repeat) this.toggle(item, true);
        return true;
      case "*":
        this.bulk.toggleAll();
        this.render();
        return true;
      case "Escape":
        if (this.bulk.count === 0) return false;
        this.bulk.clear();
        this.render();
        return true;
      case "a":
      case "r":
      case "s": {
        // A held-down key must not decide a run of comments.
        if (event.repeat) return true;
        const action: DecisionAction = event.key === "a" ? "approve" : event.key === "r" ? "reject" : "spam";
        if (this.bulk.count > 0) this.bulk.decide(action);
        else if (item) this.decide(item, action);
        return true;
      }
      case "b":
        if (item && !event.repeat) this.banForm.open(item);
        return true;
      case "u":
        if (item && !event.repeat) this.openAuthor(item);
        return true;
      default:
        return false;
    }
  }

  /** Moves focus to the selected comment (or the summary when the queue is empty). */
  focusSelected(): void {
    if (!this.author.element.hidden) return this.author.focus();
    const element = this.list.children[this.selected] as HTMLElement | undefined;
    if (element) {
      element.focus();
      element.scrollIntoView({ block: "nearest" });
    } else {
      // Nothing left to decide: focus the summary, so "The queue is empty" is what a screen reader says next.
      this.summary.focus();
    }
  }

  /** The items the reason filter lets through, in queue order. */
  private visible(): QueueItem[] {
    return this.items.filter((item) => this.filter.accepts(item));
  }

  private refilter(): void {
    this.selected = 0;
    this.bulk.keepOnly(this.visible());
    this.render();
  }

  private move(delta: number): void {
    const count = this.visible().length;
    if (count === 0) return;
    this.select(Math.min(count - 1, Math.max(0, this.selected + delta)));
  }

  private select(index: number): void {
    this.selected = index;
    this.render();
    this.focusSelected();
  }

  private toggle(item: ModItem, range: boolean): void {
    const visible = this.visible();
    this.bulk.toggle(item as QueueItem, range);
    const at = visible.indexOf(item as QueueItem);
    if (at >= 0) this.selected = at;
    this.render();
    this.focusSelected();
  }

  /** Follows the selection with focus, unless the moderator is busy elsewhere (typing a note, another tab). */
  private keepFocus(): void {
    const active = document.activeElement;
    if (!active || active === document.body || active === this.summary || this.list.contains(active)) this.focusSelected();
  }

  private decide(item: QueueItem, action: DecisionAction): void {
    const w = words();
    const note = this.takeNote(item);
    this.removeMany([item]);
    const name = item.author.name;
    this.track(
      this.shell.api.decide(item.siteId, item.threadId, item.id, action, note).then(
        () => this.shell.announce(w.decided(w.done[action]!, name)),
        (error: unknown) => this.settleFailure(item, error, w.decideFailed(w.doing[action]!, name)),
      ),
    );
  }

  private ban({ item: chosen, days, reason, purge }: BanChoice): void {
    const w = words();
    const item = chosen as QueueItem;
    const note = w.bannedNote(this.takeTypedNote(), days, reason).slice(0, 1000);
    // A purge rejects every comment of the author: take them all out of the list now.
    const gone = purge && item.author.ref ? this.items.filter((other) => other.siteId === item.siteId && other.author.ref === item.author.ref) : [item];
    this.removeMany(gone);
    // The form just hid the focused field: hand focus back to the queue.
    this.focusSelected();
    const name = item.author.name;
    this.track(
      this.shell.api.ban(item.siteId, { threadId: item.threadId, commentId: item.id, reason, ...(days ? { days } : {}), ...(purge ? { purge: true } : {}) }).then(
        () =>
          this.shell.api.decide(item.siteId, item.threadId, item.id, "reject", note).then(
            () => this.shell.announce(w.bannedDone(name, days, purge)),
            (error: unknown) =>
              // A purge already rejected the comment itself: its decision answers 409, which is success here.
              purge && error instanceof ApiError && error.code === "already_decided"
                ? this.shell.announce(w.bannedDone(name, days, purge))
                : this.settleFailure(item, error, w.banRejectFailed(name)),
          ),
        (error: unknown) => {
          gone.filter((other) => other !== item).forEach((other) => this.restore(other));
          this.settleFailure(item, error, w.banFailed(name));
        },
      ),
    );
  }

  /** The typed note (cleared once used). */
  private takeTypedNote(): string {
    const typed = this.note.value.trim();
    this.note.value = "";
    return typed;
  }

  /** The typed note, or the reasons in words, so every audit entry says why. */
  private takeNote(item: QueueItem): string | undefined {
    const typed = this.takeTypedNote();
    const reasons = reasonsInWords(item);
    const why = typed || (reasons.length > 0 ? `reasons: ${reasons.join("; ")}` : "");
    return why ? why.slice(0, 1000) : undefined;
  }

  /** A failed decision: someone else decided (move on), the key died (sign out), or roll back. */
  private settleFailure(item: QueueItem, error: unknown, what: string): void {
    const w = words();
    if (error instanceof ApiError && error.code === "already_decided") {
      const by = typeof error.extra.decidedBy === "string" && error.extra.decidedBy ? error.extra.decidedBy : w.anotherModerator;
      const status = typeof error.extra.status === "string" ? (w.statuses[error.extra.status] ?? error.extra.status) : "";
      this.shell.announce(w.alreadyDecided(item.author.name, by, status));
      return;
    }
    if (error instanceof ApiError && error.code === "comment_not_found") {
      this.shell.announce(w.gone(item.author.name));
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      this.shell.signOut(w.keyExpired);
      return;
    }
    this.restore(item);
    this.shell.announce(w.backInList(what, error instanceof Error ? error.message : String(error)), "error");
  }

  private removeMany(gone: QueueItem[]): void {
    const visibleBefore = this.visible();
    const current = visibleBefore[this.selected];
    const firstGone = Math.min(...gone.map((item) => visibleBefore.indexOf(item)).filter((at) => at >= 0));
    this.items = this.items.filter((item) => !gone.includes(item));
    this.bulk.forget(gone);
    const visible = this.visible();
    const keep = current && !gone.includes(current) ? visible.indexOf(current) : Number.isFinite(firstGone) ? firstGone : this.selected;
    this.selected = Math.min(Math.max(0, keep), Math.max(0, visible.length - 1));
    this.filter.update(this.items);
    this.render();
    this.keepFocus();
  }

  private restore(item: QueueItem): void {
    if (this.items.includes(item)) return;
    const at = this.items.findIndex((other) => other.order > item.order);
    this.items.splice(at < 0 ? this.items.length : at, 0, item);
    this.filter.update(this.items);
    this.selected = Math.max(0, this.visible().indexOf(item));
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
      this.shell.signOut(words().keyExpired);
      return;
    }
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    this.summary.textContent = message;
    this.shell.announce(message, "error");
  }

  private openAuthor(item: QueueItem): void {
    if (!item.author.ref) return;
    this.queuePart.hidden = true;
    void this.author.open(item);
  }

  private closeAuthor(): void {
    this.author.element.hidden = true;
    this.queuePart.hidden = false;
    this.focusSelected();
  }

  private render(): void {
    const w = words();
    const count = this.items.length;
    const visible = this.visible();
    const base = !this.loaded ? w.loadingQueue : count === 0 ? (this.hasMore ? w.loadingMore : w.queueEmpty) : w.queueCount(count, this.hasMore);
    this.summary.textContent = this.loaded && visible.length !== count ? `${base} ${w.filterShown(visible.length, count)}` : base;
    this.selected = Math.min(this.selected, Math.max(0, visible.length - 1));
    this.bulk.render();
    const handlers = {
      focus: (item: ModItem) => {
        const at = this.visible().indexOf(item as QueueItem);
        if (at >= 0 && at !== this.selected) this.select(at);
      },
      toggle: (item: ModItem, range: boolean) => this.toggle(item, range),
      decide: (item: ModItem, action: DecisionAction) => this.decide(item as QueueItem, action),
      ban: (item: ModItem) => this.banForm.open(item),
      authorHistory: (item: ModItem) => this.openAuthor(item as QueueItem),
    };
    this.list.replaceChildren(
      ...visible.map((item, index) => renderQueueItem(this.shell, item, { current: index === this.selected, checked: this.bulk.has(item) }, handlers)),
    );
  }
}
