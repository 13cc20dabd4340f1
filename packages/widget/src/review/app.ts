import { ApiError, ModerationApi, type Me } from "./api.ts";
import { AuditView } from "./audit-view.ts";
import { BansView } from "./bans-view.ts";
import type { ReviewConfig } from "./config.ts";
import { h } from "./dom.ts";
import { QueueView } from "./queue-view.ts";
import { forgetKey, saveKey, savedKey } from "./session.ts";
import type { Shell, SiteRef } from "./shell.ts";
import { applyTheme, nextTheme, savedTheme } from "./theme.ts";

type TabName = "queue" | "audit" | "bans";
const tabLabels: Record<TabName, string> = { queue: "Queue", audit: "Audit log", bans: "Bans" };

/**
 * The review page: sign-in with a moderator key, then the queue, audit log and bans tabs. Everything is built
 * with DOM calls and text nodes; only comment bodies pass through the allow-list sanitizer.
 */
export class ReviewApp {
  private readonly status: HTMLParagraphElement;
  private readonly main: HTMLElement;
  private readonly who: HTMLElement;
  private readonly tools: HTMLElement;
  private theme = savedTheme();
  private readonly themeButton: HTMLButtonElement;
  private onKey: ((event: KeyboardEvent) => void) | null = null;

  constructor(
    root: HTMLElement,
    private readonly config: ReviewConfig,
  ) {
    applyTheme(this.theme);
    this.status = h("p", { class: "live", attrs: { id: "cw-status", role: "status", "aria-live": "polite" } });
    this.who = h("span", { class: "signed-in" });
    this.themeButton = h("button", { attrs: { type: "button", id: "cw-theme" }, on: { click: () => this.toggleTheme() } });
    this.tools = h("div", { class: "tools" });
    this.main = h("main", { attrs: { id: "cw-main" } });
    this.renderThemeButton();
    root.replaceChildren(
      h("header", { class: "top" }, h("h1", { text: "Moderation" }), this.who, this.tools, this.themeButton),
      this.status,
      this.main,
    );
  }

  /** Signs in with the key saved for this API, or shows the sign-in form. */
  async start(): Promise<void> {
    const key = savedKey(this.config.api);
    if (!key) return this.showSignIn();
    await this.signIn(key, null);
  }

  private announce(text: string, kind: "info" | "error" = "info"): void {
    this.status.className = `live ${kind}`;
    this.status.textContent = text;
  }

  private toggleTheme(): void {
    this.theme = nextTheme(this.theme);
    applyTheme(this.theme);
    this.renderThemeButton();
  }

  private renderThemeButton(): void {
    this.themeButton.textContent = `Theme: ${this.theme}`;
    this.themeButton.setAttribute("aria-label", `Colour theme: ${this.theme}. Change`);
  }

  private showSignIn(message?: string): void {
    this.stopKeys();
    this.who.textContent = "";
    this.tools.replaceChildren();
    const input = h("input", { attrs: { id: "cw-key", type: "password", autocomplete: "off", spellcheck: "false", required: "", "aria-describedby": "cw-key-help" } });
    const error = h("p", { class: "field-error", attrs: { id: "cw-key-error", role: "alert" }, text: message ?? "" });
    const form = h(
      "form",
      { class: "sign-in", attrs: { "aria-labelledby": "cw-sign-in-title" } },
      h("h2", { text: "Sign in", attrs: { id: "cw-sign-in-title" } }),
      h("label", { text: "Moderator key", attrs: { for: "cw-key" } }),
      input,
      h("p", { class: "hint", attrs: { id: "cw-key-help" }, text: `Kept in this tab only (sessionStorage) and sent to ${this.config.api}.` }),
      this.config.apiFromQuery
        ? h("p", { class: "warning", text: `This page was opened with the API address ${this.config.api} in its link. Only sign in if you trust it.` })
        : null,
      error,
      h("button", { class: "primary", text: "Sign in", attrs: { type: "submit" } }),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key === "") {
        error.textContent = "Please enter your moderator key.";
        input.focus();
        return;
      }
      void this.signIn(key, error);
    });
    this.main.replaceChildren(form);
    input.focus();
  }

  private async signIn(key: string, error: HTMLElement | null): Promise<void> {
    const api = new ModerationApi(this.config.api, key);
    let me: Me;
    try {
      me = await api.me();
    } catch (failure) {
      const message =
        failure instanceof ApiError && failure.status === 401 ? "That key was not accepted." : `Could not sign in: ${(failure as Error).message}`;
      if (failure instanceof ApiError && failure.status === 401) forgetKey(this.config.api);
      if (error) {
        error.textContent = message;
        (this.main.querySelector("#cw-key") as HTMLInputElement | null)?.focus();
      } else {
        this.showSignIn(message);
      }
      return;
    }
    saveKey(this.config.api, key);
    this.showApp(api, me);
  }

  private signOut(message?: string): void {
    forgetKey(this.config.api);
    this.showSignIn(message);
    if (message) this.announce(message, "error");
  }

  private showApp(api: ModerationApi, me: Me): void {
    this.who.textContent = `Signed in as ${me.name}`;
    if (me.sites.length === 0) {
      this.main.replaceChildren(h("p", { text: "This key covers no configured site." }));
      return;
    }
    let visible: SiteRef[] = me.sites;
    const shell: Shell = {
      api,
      config: this.config,
      sites: me.sites,
      visibleSites: () => visible,
      announce: (text, kind) => this.announce(text, kind),
      signOut: (message) => this.signOut(message),
    };
    const views = { queue: new QueueView(shell), audit: new AuditView(shell), bans: new BansView(shell) };
    let active: TabName = "queue";

    const tabs = (Object.keys(tabLabels) as TabName[]).map((name) =>
      h("button", {
        text: tabLabels[name],
        attrs: { type: "button", role: "tab", id: `cw-tab-${name}`, "aria-controls": `cw-panel-${name}` },
        on: { click: () => show(name, true) },
      }),
    );
    const panels = (Object.keys(tabLabels) as TabName[]).map((name) =>
      h("div", { attrs: { role: "tabpanel", id: `cw-panel-${name}`, "aria-labelledby": `cw-tab-${name}` } }, views[name].element),
    );
    const tablist = h("div", { class: "tabs", attrs: { role: "tablist", "aria-label": "Moderation views" } }, ...tabs);
    tablist.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      event.preventDefault();
      const names = Object.keys(tabLabels) as TabName[];
      const next = names[(names.indexOf(active) + (event.key === "ArrowRight" ? 1 : names.length - 1)) % names.length]!;
      show(next, false);
      document.getElementById(`cw-tab-${next}`)?.focus();
    });

    const show = (name: TabName, focusContent: boolean) => {
      active = name;
      tabs.forEach((tab, index) => {
        const selected = panels[index]!.id === `cw-panel-${name}`;
        tab.setAttribute("aria-selected", String(selected));
        tab.setAttribute("tabindex", selected ? "0" : "-1");
        panels[index]!.hidden = !selected;
      });
      if (name === "audit") void views.audit.load();
      if (name === "bans") void views.bans.load();
      if (name === "queue" && focusContent) views.queue.focusSelected();
    };

    const tools: HTMLElement[] = [];
    if (me.sites.length > 1) {
      const select = h(
        "select",
        { attrs: { id: "cw-site" } },
        h("option", { text: `All sites (${me.sites.length})`, attrs: { value: "" } }),
        ...me.sites.map((site) => h("option", { text: site.name, attrs: { value: site.id } })),
      );
      select.addEventListener("change", () => {
        visible = select.value ? me.sites.filter((site) => site.id === select.value) : me.sites;
        void views.queue.load();
        if (active !== "queue") show(active, false);
      });
      tools.push(h("label", { text: "Site ", attrs: { for: "cw-site" } }), select);
    }
    tools.push(h("button", { text: "Sign out", attrs: { type: "button", id: "cw-sign-out" }, on: { click: () => this.signOut() } }));
    this.tools.replaceChildren(...tools);

    const help = h(
      "p",
      { class: "keys", attrs: { id: "cw-keys" } },
      "Keys: ",
      ...[["j", "next"], ["k", "previous"], ["a", "approve / dismiss flags"], ["r", "reject"], ["s", "spam"], ["b", "ban author"], ["n", "note"]].flatMap(([key, what]) => [
        h("kbd", { text: key! }),
        ` ${what}  `,
      ]),
    );
    this.main.replaceChildren(tablist, ...panels, help);
    show("queue", false);
    void views.queue.load();

    this.stopKeys();
    this.onKey = (event) => {
      if (active === "queue" && views.queue.handleKey(event)) event.preventDefault();
    };
    document.addEventListener("keydown", this.onKey);
  }

  private stopKeys(): void {
    if (this.onKey) document.removeEventListener("keydown", this.onKey);
    this.onKey = null;
  }
}
