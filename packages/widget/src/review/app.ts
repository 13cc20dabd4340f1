import { ApiError, ModerationApi, type Me } from "./api.ts";
import { AuditView } from "./audit-view.ts";
import { BansView } from "./bans-view.ts";
import type { ReviewConfig } from "./config.ts";
import { h } from "./dom.ts";
import { applyLanguage, language, reviewLanguages, savedLanguage, words, type ReviewLanguage } from "./i18n.ts";
import { KeysView } from "./keys-view.ts";
import { QueueView } from "./queue-view.ts";
import { forgetKey, saveKey, savedKey } from "./session.ts";
import type { Shell, SiteRef } from "./shell.ts";
import { StatsView } from "./stats-view.ts";
import { applyTheme, nextTheme, savedTheme } from "./theme.ts";

type TabName = "queue" | "audit" | "stats" | "keys" | "bans";

/**
 * The review page: sign-in with a moderator key, then the queue, audit log, bans and stats tabs (and keys, for
 * admins), in English or Persian. Everything is built with DOM calls and text nodes; only comment bodies pass
 * through the allow-list sanitizer.
 */
export class ReviewApp {
  private status!: HTMLParagraphElement;
  private main!: HTMLElement;
  private who!: HTMLElement;
  private tools!: HTMLElement;
  private theme = savedTheme();
  private themeButton!: HTMLButtonElement;
  private onKey: ((event: KeyboardEvent) => void) | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly config: ReviewConfig,
  ) {
    applyTheme(this.theme);
    applyLanguage(savedLanguage());
    this.frame();
  }

  /** The page's frame in the current language: header (title, who, tools, language, theme), status line, main. */
  private frame(): void {
    const w = words();
    this.status = h("p", { class: "live", attrs: { id: "cw-status", role: "status", "aria-live": "polite" } });
    this.who = h("span", { class: "signed-in" });
    this.themeButton = h("button", { attrs: { type: "button", id: "cw-theme" }, on: { click: () => this.toggleTheme() } });
    this.tools = h("div", { class: "tools" });
    this.main = h("main", { attrs: { id: "cw-main" } });
    const languages = h("select", { attrs: { id: "cw-lang" } },
      ...(Object.keys(reviewLanguages) as ReviewLanguage[]).map((code) => h("option", { text: reviewLanguages[code].languageName, attrs: { value: code, lang: code } })));
    languages.value = language();
    languages.addEventListener("change", () => {
      applyLanguage(languages.value as ReviewLanguage);
      this.stopKeys();
      this.frame();
      void this.start().then(() => document.getElementById("cw-lang")?.focus());
    });
    this.renderThemeButton();
    this.root.replaceChildren(
      h("header", { class: "top" }, h("h1", { text: w.heading }), this.who, this.tools,
        h("span", { class: "language" }, h("label", { text: `${w.languageLabel} `, attrs: { for: "cw-lang" } }), languages),
        this.themeButton),
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
    const w = words();
    this.themeButton.textContent = w.themeButton(w.themes[this.theme] ?? this.theme);
    this.themeButton.setAttribute("aria-label", w.themeLabel(w.themes[this.theme] ?? this.theme));
  }

  private showSignIn(message?: string): void {
    const w = words();
    this.stopKeys();
    this.who.textContent = "";
    this.tools.replaceChildren();
    const input = h("input", { attrs: { id: "cw-key", type: "password", autocomplete: "off", spellcheck: "false", required: "", "aria-describedby": "cw-key-help" } });
    const error = h("p", { class: "field-error", attrs: { id: "cw-key-error", role: "alert" }, text: message ?? "" });
    const form = h(
      "form",
      { class: "sign-in", attrs: { "aria-labelledby": "cw-sign-in-title" } },
      h("h2", { text: w.signIn, attrs: { id: "cw-sign-in-title" } }),
      h("label", { text: w.keyLabel, attrs: { for: "cw-key" } }),
      input,
      h("p", { class: "hint", attrs: { id: "cw-key-help" }, text: w.keyHint(this.config.api) }),
      this.config.apiFromQuery ? h("p", { class: "warning", text: w.apiFromLink(this.config.api) }) : null,
      error,
      h("button", { class: "primary", text: w.signIn, attrs: { type: "submit" } }),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (key === "") {
        error.textContent = w.keyMissing;
        input.focus();
        return;
      }
      void this.signIn(key, error);
    });
    this.main.replaceChildren(form);
    input.focus();
  }

  private async signIn(key: string, error: HTMLElement | null): Promise<void> {
    const w = words();
    const api = new ModerationApi(this.config.api, key);
    let me: Me;
    try {
      me = await api.me();
    } catch (failure) {
      const rejected = failure instanceof ApiError && failure.status === 401;
      const message = rejected ? w.keyRejected : w.signInFailed((failure as Error).message);
      if (rejected) forgetKey(this.config.api);
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
    const w = words();
    const role = me.role ?? "moderator";
    this.who.textContent = w.signedInAs(me.name, me.role ? (w.roles[me.role] ?? me.role) : null);
    if (me.sites.length === 0) {
      this.main.replaceChildren(h("p", { text: w.noSites }));
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
    const queue = new QueueView(shell);
    const views: Partial<Record<TabName, { element: HTMLElement; load(): Promise<void> }>> = {
      queue,
      audit: new AuditView(shell),
      stats: new StatsView(shell),
      // Keys are an admin's business: a moderator's key never sees the tab (and the API would answer 403).
      ...(role === "admin" ? { keys: new KeysView(shell) } : {}),
      bans: new BansView(shell),
    };
    const names = Object.keys(views) as TabName[];
    let active: TabName = "queue";

    const tabs = names.map((name) =>
      h("button", {
        text: w.tabs[name]!,
        attrs: { type: "button", role: "tab", id: `cw-tab-${name}`, "aria-controls": `cw-panel-${name}` },
        on: { click: () => show(name, true) },
      }),
    );
    const panels = names.map((name) =>
      h("div", { attrs: { role: "tabpanel", id: `cw-panel-${name}`, "aria-labelledby": `cw-tab-${name}` } }, views[name]!.element),
    );
    const tablist = h("div", { class: "tabs", attrs: { role: "tablist", "aria-label": w.views } }, ...tabs);
    tablist.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      event.preventDefault();
      // In right-to-left text the right arrow goes back.
      const forward = (event.key === "ArrowRight") !== (document.documentElement.dir === "rtl");
      const next = names[(names.indexOf(active) + (forward ? 1 : names.length - 1)) % names.length]!;
      show(next, false);
      document.getElementById(`cw-tab-${next}`)?.focus();
    });

    const show = (name: TabName, focusContent: boolean) => {
      active = name;
      tabs.forEach((tab, index) => {
        const selected = names[index] === name;
        tab.setAttribute("aria-selected", String(selected));
        tab.setAttribute("tabindex", selected ? "0" : "-1");
        panels[index]!.hidden = !selected;
      });
      if (name !== "queue") void views[name]!.load();
      if (name === "queue" && focusContent) queue.focusSelected();
    };

    const tools: HTMLElement[] = [];
    if (me.sites.length > 1) {
      const select = h(
        "select",
        { attrs: { id: "cw-site" } },
        h("option", { text: w.allSites(me.sites.length), attrs: { value: "" } }),
        ...me.sites.map((site) => h("option", { text: site.name, attrs: { value: site.id } })),
      );
      select.addEventListener("change", () => {
        visible = select.value ? me.sites.filter((site) => site.id === select.value) : me.sites;
        void queue.load();
        if (active !== "queue") show(active, false);
      });
      tools.push(h("label", { text: `${w.site} `, attrs: { for: "cw-site" } }), select);
    }
    tools.push(h("button", { text: w.signOut, attrs: { type: "button", id: "cw-sign-out" }, on: { click: () => this.signOut() } }));
    this.tools.replaceChildren(...tools);

    const help = h(
      "p",
      { class: "keys", attrs: { id: "cw-keys" } },
      `${w.helpKeys} `,
      ...w.help.flatMap(([key, what]) => [h("kbd", { text: key }), ` ${what}  `]),
    );
    this.main.replaceChildren(tablist, ...panels, help);
    show("queue", false);
    void queue.load();

    this.stopKeys();
    this.onKey = (event) => {
      if (active === "queue" && queue.handleKey(event)) event.preventDefault();
    };
    document.addEventListener("keydown", this.onKey);
  }

  private stopKeys(): void {
    if (this.onKey) document.removeEventListener("keydown", this.onKey);
    this.onKey = null;
  }
}
