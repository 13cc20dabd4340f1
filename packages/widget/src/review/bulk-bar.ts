import { ApiError, bulkLimit, type BulkResult, type DecisionAction, type ModItem } from "./api.ts";
import { h } from "./dom.ts";
import { words } from "./i18n.ts";
import type { Shell } from "./shell.ts";

/** What the bar needs from the queue it sits in. */
export interface BulkHost {
  /** The items the filter shows, in queue order. */
  visible(): ModItem[];
  remove(items: ModItem[]): void;
  restore(items: ModItem[]): void;
  rerender(): void;
  takeNote(): string;
  track(request: Promise<unknown>): void;
}

/**
 * Selection and bulk decisions: the count, "select all shown", approve / reject / spam for the selection (one
 * request per site and per 100 comments, each item decided on its own by the API) and the per-item results of
 * the last bulk decision.
 */
export class BulkBar {
  readonly element: HTMLElement;
  private readonly picked = new Set<ModItem>();
  private anchor: ModItem | null = null;
  private readonly all: HTMLInputElement;
  private readonly countLabel: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly results: HTMLElement;

  constructor(
    private readonly shell: Shell,
    private readonly host: BulkHost,
  ) {
    const w = words();
    this.all = h("input", { attrs: { id: "cw-select-all", type: "checkbox", "aria-keyshortcuts": "*" } });
    this.all.addEventListener("change", () => {
      this.toggleAll(this.all.checked);
      this.host.rerender();
    });
    this.countLabel = h("span", { class: "picked-count", attrs: { id: "cw-picked", "aria-live": "polite" } });
    const button = (action: DecisionAction, label: string, key: string, extra = "") =>
      h("button", { class: `bulk ${action} ${extra}`.trim(), attrs: { type: "button", "data-bulk": action, "aria-keyshortcuts": key }, on: { click: () => this.decide(action) } }, label, " ", h("kbd", { text: key }));
    this.actions = h("span", { class: "bulk-actions", attrs: { hidden: "" } },
      button("approve", w.bulkApprove, "a", "primary"),
      button("reject", w.bulkReject, "r"),
      button("spam", w.bulkSpam, "s"),
      h("button", { text: w.clearSelection, attrs: { type: "button", id: "cw-clear-selection" }, on: { click: () => { this.clear(); this.host.rerender(); } } }, " ", h("kbd", { text: "Esc" })),
    );
    this.results = h("section", { class: "bulk-results", attrs: { hidden: "", "aria-labelledby": "cw-bulk-results-title", id: "cw-bulk-results" } });
    this.element = h("div", { class: "bulk-part" },
      h("div", { class: "bulk-bar" }, h("span", { class: "select-all" }, this.all, " ", h("label", { attrs: { for: "cw-select-all" }, text: w.selectAll })), this.countLabel, this.actions),
      this.results,
    );
  }

  get count(): number {
    return this.picked.size;
  }

  has(item: ModItem): boolean {
    return this.picked.has(item);
  }

  /** Ticks or unticks one item; with `range`, ticks everything from the last ticked item to this one. */
  toggle(item: ModItem, range: boolean): void {
    const visible = this.host.visible();
    if (range && this.anchor && visible.includes(this.anchor)) {
      const [from, to] = [visible.indexOf(this.anchor), visible.indexOf(item)].sort((a, b) => a - b);
      for (const other of visible.slice(from, to! + 1)) this.picked.add(other);
    } else if (this.picked.has(item)) {
      this.picked.delete(item);
    } else {
      this.picked.add(item);
    }
    this.anchor = item;
  }

  /** Selects every shown item, or none when all are selected already (or when `on` says so). */
  toggleAll(on?: boolean): void {
    const visible = this.host.visible();
    const select = on ?? !(visible.length > 0 && visible.every((item) => this.picked.has(item)));
    this.picked.clear();
    if (select) visible.forEach((item) => this.picked.add(item));
  }

  clear(): void {
    this.picked.clear();
    this.anchor = null;
  }

  /** Drops items that left the list. */
  forget(items: ModItem[]): void {
    items.forEach((item) => this.picked.delete(item));
  }

  /** Keeps only the selected items the filter still shows. */
  keepOnly(items: ModItem[]): void {
    for (const item of [...this.picked]) if (!items.includes(item)) this.picked.delete(item);
  }

  render(): void {
    const visible = this.host.visible();
    const count = this.picked.size;
    this.countLabel.textContent = count > 0 ? words().selectedCount(count) : "";
    this.actions.hidden = count === 0;
    this.all.checked = visible.length > 0 && visible.every((item) => this.picked.has(item));
    this.all.indeterminate = count > 0 && !this.all.checked;
    this.all.disabled = visible.length === 0;
  }

  /** Decides every selected item: optimistic, one request per site and per {@link bulkLimit}, results listed. */
  decide(action: DecisionAction): void {
    const chosen = this.host.visible().filter((item) => this.picked.has(item));
    if (chosen.length === 0) return;
    const note = this.host.takeNote() || undefined;
    this.clear();
    this.host.remove(chosen);
    const batches: ModItem[][] = [];
    for (const site of new Set(chosen.map((item) => item.siteId))) {
      const ofSite = chosen.filter((item) => item.siteId === site);
      for (let at = 0; at < ofSite.length; at += bulkLimit) batches.push(ofSite.slice(at, at + bulkLimit));
    }
    const outcomes: Array<{ item: ModItem; status: number }> = [];
    const requests = batches.map((batch) =>
      this.shell.api
        .decideMany(batch[0]!.siteId, batch.map((item) => ({ threadId: item.threadId, commentId: item.id })), action, note)
        .then(
          ({ results }) => batch.forEach((item) => outcomes.push({ item, status: statusOf(results, item) })),
          (error: unknown) => {
            if (error instanceof ApiError && error.status === 401) return this.shell.signOut(words().keyExpired);
            this.host.restore(batch);
            this.shell.announce(words().bulkFailed(error instanceof Error ? error.message : String(error)), "error");
          },
        ),
    );
    const all = Promise.all(requests).then(() => {
      if (outcomes.length > 0) this.showResults(action, outcomes, chosen.length);
    });
    this.host.track(all);
  }

  private showResults(action: DecisionAction, outcomes: Array<{ item: ModItem; status: number }>, total: number): void {
    const w = words();
    const done = outcomes.filter((outcome) => outcome.status === 200).length;
    const summary = w.bulkSummary(w.done[action]!, done, total);
    this.results.replaceChildren(
      h("h2", { text: w.bulkResults, attrs: { id: "cw-bulk-results-title" } }),
      h("p", { class: "bulk-summary", text: summary }),
      h("ol", {}, ...outcomes.map(({ item, status }) =>
        h("li", { class: `result s${status}`, attrs: { "data-comment-id": item.id } }, h("span", { class: "author", text: item.author.name }), `: ${w.bulkItem[status] ?? String(status)}`))),
    );
    this.results.hidden = false;
    this.shell.announce(summary);
  }
}

/** An item's status in the answer; an item the answer leaves out counts as not found. */
function statusOf(results: BulkResult[], item: ModItem): number {
  return results.find((result) => result.commentId === item.id)?.status ?? 404;
}
