import type { ModItem } from "./api.ts";
import { h } from "./dom.ts";
import { formatNumber, words } from "./i18n.ts";
import { isFlaggedPublished } from "./words.ts";

const flaggedView = "flagged";

/**
 * The queue's reason filter: every reason present in the loaded queue (with its count) and the "flagged by
 * readers" view. It filters what is loaded; decisions and keys act on what it shows.
 */
export class QueueFilter {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;

  constructor(onChange: () => void) {
    this.select = h("select", { attrs: { id: "cw-filter" } });
    this.select.addEventListener("change", onChange);
    this.element = h("span", { class: "filter" }, h("label", { text: `${words().filterLabel} `, attrs: { for: "cw-filter" } }), this.select);
  }

  /** True when the item belongs to the chosen view. */
  accepts(item: ModItem): boolean {
    const chosen = this.select.value;
    if (chosen === "") return true;
    if (chosen === flaggedView) return item.flags > 0 || isFlaggedPublished(item);
    return item.reasons.includes(chosen);
  }

  /** Rebuilds the options from the loaded items, keeping the choice while it still has comments. */
  update(items: ModItem[]): void {
    const w = words();
    const counts = new Map<string, number>();
    for (const item of items) for (const reason of new Set(item.reasons)) if (reason !== "reader_flags") counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const flagged = items.filter((item) => item.flags > 0 || isFlaggedPublished(item)).length;
    const chosen = this.select.value;
    const option = (value: string, label: string, count: number) => h("option", { text: `${label} (${formatNumber(count)})`, attrs: { value } });
    this.select.replaceChildren(
      h("option", { text: w.filterAll, attrs: { value: "" } }),
      ...[...counts].sort((a, b) => b[1] - a[1]).map(([reason, count]) => option(reason, w.reasonWords[reason] ?? reason.replace(/_/g, " "), count)),
      ...(flagged > 0 ? [option(flaggedView, w.filterFlagged, flagged)] : []),
    );
    this.select.value = [...this.select.options].some((o) => o.value === chosen) ? chosen : "";
  }
}
