import type { Ban } from "@comments/core";
import { ApiError } from "./api.ts";
import { h } from "./dom.ts";
import { words } from "./i18n.ts";
import { siteName, type Shell } from "./shell.ts";
import { readableTime } from "./words.ts";

interface SiteBan extends Ban {
  siteId: string;
}

/** The bans tab: active bans of the visible sites, each with a button to lift it. */
export class BansView {
  readonly element: HTMLElement;
  private bans: SiteBan[] = [];
  private readonly body: HTMLTableSectionElement;
  private readonly summary: HTMLParagraphElement;

  constructor(private readonly shell: Shell) {
    const w = words();
    this.summary = h("p", { class: "summary", attrs: { id: "cw-bans-summary" } });
    this.body = h("tbody");
    this.element = h(
      "section",
      { class: "bans-view" },
      h("div", { class: "toolbar" }, this.summary, h("button", { text: w.refresh, attrs: { type: "button" }, on: { click: () => void this.load() } })),
      h("div", { class: "table-wrap" },
        h("table", { attrs: { "aria-describedby": "cw-bans-summary" } },
          h("caption", { text: w.bansCaption }),
          h("thead", {}, h("tr", {}, ...w.bansColumns.map((label) => h("th", { text: label, attrs: { scope: "col" } })))),
          this.body,
        ),
      ),
    );
  }

  async load(): Promise<void> {
    this.summary.textContent = words().loadingBans;
    try {
      const lists = await Promise.all(this.shell.visibleSites().map(async (site) => (await this.shell.api.bans(site.id)).items.map((ban) => ({ ...ban, siteId: site.id }))));
      this.bans = lists.flat().sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      this.render();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(words().keyExpired);
      const message = words().bansFailed((error as Error).message);
      this.summary.textContent = message;
      this.shell.announce(message, "error");
    }
  }

  private async lift(ban: SiteBan, row: HTMLElement): Promise<void> {
    const index = this.bans.indexOf(ban);
    const next = row.nextElementSibling ?? row.previousElementSibling;
    this.bans.splice(index, 1);
    this.render();
    const nextButton = next ? this.body.querySelector<HTMLButtonElement>(`[data-ban-id="${CSS.escape(next.getAttribute("data-ban-id") ?? "")}"] button`) : null;
    (nextButton ?? this.summary).focus();
    const who = ban.authorName ?? words().unknownAuthor;
    try {
      await this.shell.api.liftBan(ban.siteId, ban.id);
      this.shell.announce(words().lifted(who));
    } catch (error) {
      if (error instanceof ApiError && error.code === "ban_not_found") {
        this.shell.announce(words().liftGone(who));
        return;
      }
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(words().keyExpired);
      this.bans.splice(Math.min(index, this.bans.length), 0, ban);
      this.render();
      this.shell.announce(words().liftFailed(who, (error as Error).message), "error");
    }
  }

  private render(): void {
    const w = words();
    this.summary.textContent = this.bans.length === 0 ? w.bansEmpty : w.bansCount(this.bans.length);
    this.summary.setAttribute("tabindex", "-1");
    this.body.replaceChildren(
      ...this.bans.map((ban) => {
        const who = ban.authorName ?? w.unknownAuthor;
        const row: HTMLElement = h("tr", { attrs: { "data-ban-id": ban.id } },
          h("td", { text: who }),
          h("td", { text: ban.reason }),
          h("td", { text: siteName(this.shell, ban.siteId) }),
          h("td", {}, h("time", { text: readableTime(ban.createdAt), attrs: { datetime: ban.createdAt } })),
          h("td", {}, ban.expiresAt ? h("time", { text: readableTime(ban.expiresAt), attrs: { datetime: ban.expiresAt } }) : w.permanent),
          h("td", {}, h("button", { text: w.lift, attrs: { type: "button", "aria-label": w.liftLabel(who) }, on: { click: () => void this.lift(ban, row) } })),
        );
        return row;
      }),
    );
  }
}
