import type { AuditEntry } from "@comments/core";
import { ApiError } from "./api.ts";
import { h } from "./dom.ts";
import { words } from "./i18n.ts";
import { siteName, type Shell } from "./shell.ts";
import { readableTime } from "./words.ts";

interface SiteEntry extends AuditEntry {
  siteId: string;
}

/** The audit log tab: every decision, ban and unban with who, when and why, newest first, merged across sites. */
export class AuditView {
  readonly element: HTMLElement;
  private entries: SiteEntry[] = [];
  private cursors = new Map<string, string>();
  private readonly body: HTMLTableSectionElement;
  private readonly summary: HTMLParagraphElement;
  private readonly more: HTMLButtonElement;

  constructor(private readonly shell: Shell) {
    const w = words();
    this.summary = h("p", { class: "summary", attrs: { id: "cw-audit-summary" } });
    this.body = h("tbody");
    this.more = h("button", { text: w.auditMore, attrs: { type: "button", hidden: "" }, on: { click: () => void this.loadMore() } });
    this.element = h(
      "section",
      { class: "audit-view" },
      h("div", { class: "toolbar" }, this.summary, h("button", { text: w.refresh, attrs: { type: "button" }, on: { click: () => void this.load() } })),
      h("div", { class: "table-wrap" },
        h("table", { attrs: { "aria-describedby": "cw-audit-summary" } },
          h("caption", { text: w.auditCaption }),
          h("thead", {}, h("tr", {}, ...w.auditColumns.map((label) => h("th", { text: label, attrs: { scope: "col" } })))),
          this.body,
        ),
      ),
      this.more,
    );
  }

  /** Loads the newest page of every visible site's log. */
  async load(): Promise<void> {
    this.entries = [];
    this.cursors.clear();
    this.summary.textContent = words().loadingAudit;
    await this.fetch(this.shell.visibleSites().map((site) => ({ site: site.id, cursor: null })));
  }

  private async loadMore(): Promise<void> {
    await this.fetch([...this.cursors].map(([site, cursor]) => ({ site, cursor })));
  }

  private async fetch(requests: Array<{ site: string; cursor: string | null }>): Promise<void> {
    try {
      const pages = await Promise.all(requests.map(async ({ site, cursor }) => ({ site, page: await this.shell.api.audit(site, cursor) })));
      for (const { site, page } of pages) {
        this.entries.push(...page.items.map((entry) => ({ ...entry, siteId: site })));
        if (page.nextCursor) this.cursors.set(site, page.nextCursor);
        else this.cursors.delete(site);
      }
      this.entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
      this.render();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(words().keyExpired);
      const message = words().auditFailed((error as Error).message);
      this.summary.textContent = message;
      this.shell.announce(message, "error");
    }
  }

  private render(): void {
    const w = words();
    this.summary.textContent = this.entries.length === 0 ? w.auditEmpty : w.auditCount(this.entries.length);
    this.more.hidden = this.cursors.size === 0;
    this.body.replaceChildren(
      ...this.entries.map((entry) =>
        h("tr", {},
          h("td", {}, h("time", { text: readableTime(entry.at), attrs: { datetime: entry.at } })),
          h("td", { text: entry.moderator }),
          h("td", { text: entry.action }),
          h("td", { text: siteName(this.shell, entry.siteId) }),
          h("td", { class: "ids", text: entry.threadId ? `${entry.threadId} / ${entry.commentId}` : "—" }),
          h("td", { text: entry.fromStatus || entry.toStatus ? `${statusWord(entry.fromStatus)} → ${statusWord(entry.toStatus)}` : "—" }),
          h("td", { class: "note", text: entry.note ?? "" }),
        ),
      ),
    );
  }
}

const statusWord = (status: string | null) => (status ? (words().statuses[status] ?? status) : "—");
