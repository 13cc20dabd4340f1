import { ApiError, type Stats } from "./api.ts";
import { chartFigure } from "./charts.ts";
import { h } from "./dom.ts";
import { formatDay, formatNumber, formatTime, words } from "./i18n.ts";
import type { Shell, SiteRef } from "./shell.ts";

const dayChoices = [7, 30, 90];

/**
 * The stats tab, per visible site: the queue now (size, oldest wait, by reason), time to decision (p50, p95),
 * decisions per day and per moderator, comments per day by outcome: each chart with its table beside it.
 */
export class StatsView {
  readonly element: HTMLElement;
  private readonly summary: HTMLParagraphElement;
  private readonly days: HTMLSelectElement;
  private readonly content: HTMLElement;

  constructor(private readonly shell: Shell) {
    const w = words();
    this.summary = h("p", { class: "summary", attrs: { id: "cw-stats-summary", role: "status" } });
    this.days = h("select", { attrs: { id: "cw-stats-days" } }, ...dayChoices.map((days) => h("option", { text: formatNumber(days), attrs: { value: String(days) } })));
    this.days.addEventListener("change", () => void this.load());
    this.content = h("div", { class: "stats" });
    this.element = h("section", { class: "stats-view" },
      h("div", { class: "toolbar" }, this.summary,
        h("label", { text: `${w.statsDays} `, attrs: { for: "cw-stats-days" } }), this.days,
        h("button", { text: w.refresh, attrs: { type: "button" }, on: { click: () => void this.load() } })),
      this.content,
    );
  }

  async load(): Promise<void> {
    const w = words();
    const days = Number(this.days.value);
    this.summary.textContent = w.statsLoading;
    try {
      const sites = this.shell.visibleSites();
      const all = await Promise.all(sites.map(async (site) => ({ site, stats: await this.shell.api.stats(site.id, days) })));
      this.summary.textContent = "";
      this.content.replaceChildren(...all.map(({ site, stats }) => this.renderSite(site, stats, days)));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(w.keyExpired);
      const message = w.statsFailed((error as Error).message);
      this.summary.textContent = message;
      this.shell.announce(message, "error");
    }
  }

  private renderSite(site: SiteRef, stats: Stats, days: number): HTMLElement {
    const w = words();
    const id = `cw-stats-${site.id.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
    const { p50Seconds, p95Seconds } = stats.decisions.timeToDecision;
    const fact = (term: string, value: HTMLElement | string) => [h("dt", { text: term }), h("dd", {}, value)];
    const oldest = stats.queue.oldestAt;
    const waited = oldest ? Math.max(0, (Date.now() - new Date(oldest).getTime()) / 1000) : null;
    return h("section", { class: "site-stats", attrs: { "aria-labelledby": `${id}-title` } },
      h("h2", { text: w.statsSite(site.name, days), attrs: { id: `${id}-title` } }),
      h("div", { class: "facts" },
        h("div", {}, h("h3", { text: w.queueNow }), h("dl", {},
          ...fact(w.queueSize, formatNumber(stats.queue.size)),
          ...fact(w.queueOldest, oldest && waited !== null ? h("time", { text: `${w.duration(waited)} (${formatTime(oldest)})`, attrs: { datetime: oldest } }) : w.nothingWaits),
        )),
        h("div", {}, h("h3", { text: w.timeToDecision }), h("dl", {},
          ...fact(w.p50, p50Seconds === null ? w.noDecisions : w.duration(p50Seconds)),
          ...fact(w.p95, p95Seconds === null ? w.noDecisions : w.duration(p95Seconds)),
        )),
      ),
      chartFigure(`${id}-reasons`, {
        title: w.byReason,
        labelHeading: w.reason,
        series: [w.count],
        rows: Object.entries(stats.queue.byReason).map(([reason, count]) => ({ label: w.reasonWords[reason] ?? reason.replace(/_/g, " "), values: [count] })),
      }, "bars"),
      chartFigure(`${id}-decisions`, {
        title: w.decisionsPerDay,
        labelHeading: w.day,
        series: [w.series.approve!, w.series.reject!, w.series.spam!],
        rows: stats.decisions.perDay.map((day) => ({ label: formatDay(day.date), values: [day.approve, day.reject, day.spam] })),
      }),
      chartFigure(`${id}-moderators`, {
        title: w.byModerator,
        labelHeading: w.moderator,
        series: [w.count],
        rows: stats.decisions.byModerator.map((entry) => ({ label: entry.moderator, values: [entry.count] })),
      }, "bars"),
      chartFigure(`${id}-comments`, {
        title: w.commentsPerDay,
        labelHeading: w.day,
        series: [w.series.published!, w.series.pending!, w.series.spam!],
        rows: stats.comments.perDay.map((day) => ({ label: formatDay(day.date), values: [day.published, day.pending, day.spam] })),
      }),
    );
  }
}
