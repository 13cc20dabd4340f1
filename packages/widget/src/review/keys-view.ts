import { ApiError, type KeyInfo, type KeyRole } from "./api.ts";
import { h } from "./dom.ts";
import { formatTime, words } from "./i18n.ts";
import { siteName, type Shell } from "./shell.ts";

/**
 * The keys tab (admins only): the keys of the admin's sites (never a secret), a form to create one (name,
 * sites, role; the new key is shown once, with a copy button) and revoke with a confirmation step.
 */
export class KeysView {
  readonly element: HTMLElement;
  private keys: KeyInfo[] = [];
  private readonly summary: HTMLParagraphElement;
  private readonly body: HTMLTableSectionElement;
  private readonly name: HTMLInputElement;
  private readonly role: HTMLSelectElement;
  private readonly siteBoxes: HTMLInputElement[];
  private readonly error: HTMLParagraphElement;
  private readonly secret: HTMLElement;

  constructor(private readonly shell: Shell) {
    const w = words();
    this.summary = h("p", { class: "summary", attrs: { id: "cw-keys-summary", tabindex: "-1" } });
    this.body = h("tbody");
    this.name = h("input", { attrs: { id: "cw-key-name", type: "text", maxlength: "100", autocomplete: "off", required: "" } });
    this.role = h("select", { attrs: { id: "cw-key-role" } },
      ...(["moderator", "admin"] as const).map((role) => h("option", { text: w.roles[role]!, attrs: { value: role } })));
    this.siteBoxes = shell.sites.map((site) => h("input", { attrs: { type: "checkbox", id: `cw-key-site-${site.id}`, value: site.id } }));
    if (this.siteBoxes.length === 1) this.siteBoxes[0]!.checked = true;
    this.error = h("p", { class: "field-error", attrs: { id: "cw-key-form-error", role: "alert" } });
    this.secret = h("div", { class: "new-key", attrs: { hidden: "", id: "cw-new-key" } });
    const form = h("form", { class: "key-form", attrs: { "aria-labelledby": "cw-new-key-title" } },
      h("h2", { text: w.newKey, attrs: { id: "cw-new-key-title" } }),
      h("div", { class: "fields" },
        h("label", { text: w.keyName, attrs: { for: "cw-key-name" } }), this.name,
        h("label", { text: w.keyRole, attrs: { for: "cw-key-role" } }), this.role,
      ),
      h("fieldset", {}, h("legend", { text: w.keySites }),
        ...shell.sites.map((site, index) => h("span", { class: "site-choice" }, this.siteBoxes[index]!, " ", h("label", { text: site.name, attrs: { for: `cw-key-site-${site.id}` } })))),
      this.error,
      h("button", { class: "primary", text: w.createKey, attrs: { type: "submit" } }),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.create();
    });
    this.element = h("section", { class: "keys-view" },
      h("div", { class: "toolbar" }, this.summary, h("button", { text: w.refresh, attrs: { type: "button" }, on: { click: () => void this.load() } })),
      this.secret,
      h("div", { class: "table-wrap" },
        h("table", { attrs: { "aria-describedby": "cw-keys-summary" } },
          h("caption", { text: w.keysCaption }),
          h("thead", {}, h("tr", {}, ...w.keysColumns.map((label) => h("th", { text: label, attrs: { scope: "col" } })))),
          this.body,
        ),
      ),
      form,
    );
  }

  async load(): Promise<void> {
    this.summary.textContent = words().keysLoading;
    try {
      this.keys = (await this.shell.api.keys()).items;
      this.render();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(words().keyExpired);
      const message = words().keysFailed((error as Error).message);
      this.summary.textContent = message;
      this.shell.announce(message, "error");
    }
  }

  private async create(): Promise<void> {
    const w = words();
    const name = this.name.value.trim();
    const sites = this.siteBoxes.filter((box) => box.checked).map((box) => box.value);
    if (name === "") {
      this.error.textContent = w.keyNameMissing;
      this.name.focus();
      return;
    }
    if (sites.length === 0) {
      this.error.textContent = w.keySitesMissing;
      this.siteBoxes[0]?.focus();
      return;
    }
    this.error.textContent = "";
    try {
      const created = await this.shell.api.createKey({ name, sites, role: this.role.value as KeyRole });
      this.name.value = "";
      this.showSecret(name, created.key);
      await this.load();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(w.keyExpired);
      this.error.textContent = w.createFailed((error as Error).message);
    }
  }

  /** The new key, once: a read-only field (select it to copy by hand) and a copy button. */
  private showSecret(name: string, key: string): void {
    const w = words();
    const field = h("input", { attrs: { id: "cw-new-key-value", type: "text", readonly: "", value: key, spellcheck: "false", autocomplete: "off" } });
    const said = h("p", { class: "copy-status", attrs: { role: "status" } });
    const copy = h("button", { text: w.copy, attrs: { type: "button", id: "cw-copy-key" } });
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(key).then(
        () => (said.textContent = w.copied),
        () => {
          said.textContent = w.copyFailed;
          field.select();
        },
      );
    });
    this.secret.replaceChildren(
      h("p", { class: "warning", text: w.keyCreated(name) }),
      h("label", { text: w.keySecretLabel, attrs: { for: "cw-new-key-value" } }), " ", field, " ", copy, said,
    );
    this.secret.hidden = false;
    copy.focus();
  }

  /** The first click asks; "Yes, revoke" revokes; Esc or leaving the row cancels. */
  private confirmRevoke(key: KeyInfo, cell: HTMLElement): void {
    const w = words();
    const cancel = () => {
      this.render();
      this.body.querySelector<HTMLButtonElement>(`[data-key-id="${CSS.escape(key.id)}"] button`)?.focus();
    };
    const yes = h("button", { class: "danger", text: w.revokeYes, attrs: { type: "button" }, on: { click: () => void this.revoke(key) } });
    const no = h("button", { text: w.cancel, attrs: { type: "button" }, on: { click: cancel } });
    cell.replaceChildren(h("span", { class: "confirm", attrs: { role: "alert" }, text: w.revokeConfirm(key.name) }), " ", yes, " ", no);
    cell.addEventListener("keydown", (event) => {
      if (event.key === "Escape") cancel();
    });
    yes.focus();
  }

  private async revoke(key: KeyInfo): Promise<void> {
    const w = words();
    try {
      await this.shell.api.revokeKey(key.id);
      this.keys = this.keys.filter((other) => other.id !== key.id);
      this.render();
      this.summary.focus();
      this.shell.announce(w.revoked(key.name));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.shell.signOut(w.keyExpired);
      this.render();
      this.shell.announce(w.revokeFailed(key.name, (error as Error).message), "error");
    }
  }

  private render(): void {
    const w = words();
    this.summary.textContent = w.keysCount(this.keys.length);
    this.body.replaceChildren(
      ...this.keys.map((key) => {
        const action = h("td", {});
        action.append(h("button", { class: "danger", text: w.revoke, attrs: { type: "button", "aria-label": w.revokeLabel(key.name) }, on: { click: () => this.confirmRevoke(key, action) } }));
        return h("tr", { attrs: { "data-key-id": key.id } },
          h("td", { text: key.name }),
          h("td", { text: w.roles[key.role] ?? key.role }),
          h("td", { text: key.sites.map((site) => siteName(this.shell, site)).join(", ") }),
          h("td", {}, key.createdAt ? h("time", { text: formatTime(key.createdAt), attrs: { datetime: key.createdAt } }) : "—"),
          action,
        );
      }),
    );
  }
}
