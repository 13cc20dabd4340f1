import type { ModItem } from "./api.ts";
import { h } from "./dom.ts";
import { words } from "./i18n.ts";
import { reasonsInWords } from "./words.ts";

/** What the moderator chose in the ban form. */
export interface BanChoice {
  item: ModItem;
  days: number | undefined;
  reason: string;
  /** Also reject every published and pending comment of the author on the site. */
  purge: boolean;
}

/** The inline ban form: days (empty: permanent), reason, and "also remove their comments". Enter bans, Esc cancels. */
export class BanForm {
  readonly element: HTMLFormElement;
  private readonly title: HTMLParagraphElement;
  private readonly days: HTMLInputElement;
  private readonly reason: HTMLInputElement;
  private readonly purge: HTMLInputElement;
  private readonly error: HTMLParagraphElement;
  private target: ModItem | null = null;

  constructor(
    private readonly onBan: (choice: BanChoice) => void,
    private readonly onClose: () => void,
  ) {
    const w = words();
    this.title = h("p", { class: "ban-title" });
    this.days = h("input", { attrs: { id: "cw-ban-days", type: "text", inputmode: "numeric", value: "7", autocomplete: "off", "aria-describedby": "cw-ban-days-help" } });
    this.reason = h("input", { attrs: { id: "cw-ban-reason", type: "text", maxlength: "500", autocomplete: "off", required: "" } });
    this.purge = h("input", { attrs: { id: "cw-ban-purge", type: "checkbox" } });
    this.error = h("p", { class: "field-error", attrs: { id: "cw-ban-error", role: "alert" } });
    this.element = h(
      "form",
      { class: "ban-form", attrs: { hidden: "", "aria-label": w.banFormLabel } },
      this.title,
      h("div", { class: "fields" },
        h("label", { attrs: { for: "cw-ban-days" } }, `${w.days} `, h("span", { class: "hint", attrs: { id: "cw-ban-days-help" }, text: w.daysHint })),
        this.days,
        h("label", { attrs: { for: "cw-ban-reason" }, text: w.reason }),
        this.reason,
      ),
      h("p", { class: "purge" }, this.purge, " ", h("label", { attrs: { for: "cw-ban-purge" }, text: w.purge })),
      this.error,
      h("div", { class: "buttons" },
        h("button", { class: "danger", text: w.banSubmit, attrs: { type: "submit" } }),
        h("button", { text: w.cancel, attrs: { type: "button" }, on: { click: () => this.close() } }),
      ),
    );
    this.element.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.element.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(item: ModItem): void {
    this.target = item;
    this.title.textContent = words().banTitle(item.author.name, item.author.email);
    this.days.value = "7";
    this.reason.value = reasonsInWords(item).join("; ").slice(0, 500) || words().defaultBanReason;
    this.purge.checked = false;
    this.error.textContent = "";
    this.element.hidden = false;
    this.days.focus();
    this.days.select();
  }

  close(): void {
    this.element.hidden = true;
    this.target = null;
    this.onClose();
  }

  private submit(): void {
    const item = this.target;
    if (!item) return;
    const daysText = this.days.value.trim();
    const days = daysText === "" ? undefined : Number(daysText);
    const reason = this.reason.value.trim();
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 36500)) {
      this.error.textContent = words().daysInvalid;
      this.days.focus();
      return;
    }
    if (reason === "") {
      this.error.textContent = words().reasonMissing;
      this.reason.focus();
      return;
    }
    const purge = this.purge.checked;
    this.element.hidden = true;
    this.target = null;
    this.onBan({ item, days, reason, purge });
  }
}
