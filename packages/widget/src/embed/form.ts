import type { Translator } from "../i18n/format.ts";
import { h, withName } from "./dom.ts";

/** The form's fields by their API path. */
export const fieldPaths = ["body", "author.name", "author.email", "author.url"] as const;
export type FieldPath = (typeof fieldPaths)[number];

/** What the reader typed. */
export interface FormValues {
  body: string;
  name: string;
  email: string;
  url: string;
  /** The honeypot: people never see it, bots fill it. */
  website: string;
  /** "Email me": replies to this comment or the whole thread; null when not asked (or no email). */
  notify: "replies" | "thread" | null;
}

/**
 * The comment form: labelled fields, each with its error element tied by `aria-describedby` and marked
 * with `aria-invalid`, an off-screen honeypot, the captcha slot, the submit button and an `aria-live` status.
 */
export function createForm(t: Translator, captchaSlot: HTMLElement | null) {
  const body = h("textarea", { id: "cw-body", name: "body", rows: 5, "aria-describedby": "cw-body-e" });
  const name = h("input", { id: "cw-name", name: "name", autocomplete: "name", "aria-describedby": "cw-name-e" });
  const email = h("input", { id: "cw-email", name: "email", type: "email", autocomplete: "email", "aria-describedby": "cw-email-h cw-email-e" });
  const url = h("input", { id: "cw-url", name: "url", type: "url", autocomplete: "url", "aria-describedby": "cw-url-e" });
  const website = h("input", { name: "website", tabindex: -1, autocomplete: "off" });
  // "Email me": needs an address, so for a guest it stays disabled (with a hint saying why) until one is typed.
  const notify = h("input", { id: "cw-notify", name: "notify", type: "checkbox", "aria-describedby": "cw-notify-h cw-notify-e" });
  const notifyKind = h(
    "select",
    { id: "cw-notify-kind", name: "notifyKind", "aria-label": t.text("notifyMe") },
    h("option", { value: "replies" }, t.text("notifyReplies")),
    h("option", { value: "thread" }, t.text("notifyThread")),
  );
  const notifyHint = h("p", { id: "cw-notify-h", class: "hint" }, t.text("notifyHint"));
  // A signed-in reader's address comes from their sign-in token, so they need no email field.
  let signedIn = false;
  const syncNotify = () => {
    const hasEmail = signedIn || email.value.trim() !== "";
    notify.disabled = !hasEmail;
    notifyKind.disabled = !hasEmail || !notify.checked;
    notifyHint.hidden = hasEmail;
  };
  email.addEventListener("input", syncNotify);
  notify.addEventListener("change", syncNotify);
  syncNotify();
  const notifyError = h("p", { id: "cw-notify-e", class: "fe" });
  // The nudge: the server's warning about the language, in the reader's words, with its reasons and two ways on.
  const nudgeReasons = h("ul");
  const edit = h("button", { type: "button", class: "more" }, t.text("edit"));
  const review = h("button", { type: "button", class: "more" }, t.text("submitForReview"));
  const nudge = h("div", { id: "cw-nudge", class: "ng", role: "alert", hidden: true }, h("p", null, t.text("nudge")), nudgeReasons, h("div", { class: "ac" }, edit, review));
  edit.addEventListener("click", () => body.focus());
  const controls: Record<FieldPath, HTMLInputElement | HTMLTextAreaElement> = { body, "author.name": name, "author.email": email, "author.url": url };
  const errors = new Map<FieldPath, HTMLElement>();

  const field = (path: FieldPath, label: string, hint?: string) => {
    const control = controls[path];
    const error = h("p", { id: `${control.id}-e`, class: "fe" });
    errors.set(path, error);
    return h("div", null, h("label", { for: control.id }, label), control, hint && h("p", { id: `${control.id}-h`, class: "hint" }, hint), error);
  };

  const cancel = h("button", { type: "button", class: "lk" }, t.text("cancel"));
  const replyLabel = h("span");
  const replying = h("p", { class: "to", hidden: true }, replyLabel, " · ", cancel);
  const submit = h("button", { type: "submit", class: "btn" }, t.text("post"));
  // Who is writing: "Signed in as …" with Sign out, or (when the site has a login page) Sign in for a guest.
  const who = h("span");
  const signOut = h("button", { type: "button", class: "lk" }, t.text("signOut"));
  const signIn = h("button", { type: "button", class: "lk" }, t.text("signIn"));
  const account = h("p", { class: "to", hidden: true }, who, " ", signOut, signIn);
  const guestFields = h("div", { class: "row" }, field("author.name", t.text("name")), field("author.email", t.text("email"), t.text("emailHint")), field("author.url", t.text("website")));
  const status = h("p", { class: "st", role: "status", "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "cw-ft" },
    h("h3", { id: "cw-ft" }, t.text("formTitle")),
    account,
    replying,
    field("body", t.text("comment")),
    nudge,
    guestFields,
    h("div", { class: "nt" }, notify, h("label", { for: "cw-notify" }, t.text("notifyMe")), " ", notifyKind, notifyHint, notifyError),
    h("div", { class: "hp", "aria-hidden": "true" }, website),
    captchaSlot,
    submit,
    status,
  );

  return {
    form,
    cancel,
    status,
    values: (): FormValues => ({
      body: body.value,
      name: name.value,
      email: email.value.trim(),
      url: url.value.trim(),
      website: website.value,
      notify: notify.checked && !notify.disabled ? (notifyKind.value === "thread" ? "thread" : "replies") : null,
    }),
    fill(values: Partial<FormValues>) {
      body.value = values.body ?? body.value;
      name.value = values.name ?? name.value;
      email.value = values.email ?? email.value;
      url.value = values.url ?? url.value;
      syncNotify();
    },
    /** Shows (or, with an empty message, clears) the error of one field. */
    setError(path: FieldPath, message: string) {
      errors.get(path)!.textContent = message;
      if (message) controls[path].setAttribute("aria-invalid", "true");
      else controls[path].removeAttribute("aria-invalid");
    },
    clearErrors() {
      for (const path of fieldPaths) this.setError(path, "");
      this.setNotifyError("");
      this.nudge(null);
    },
    /** Shows (or clears) why "Email me" could not be honoured, on the checkbox. */
    setNotifyError(message: string) {
      notifyError.textContent = message;
      if (message) notify.setAttribute("aria-invalid", "true");
      else notify.removeAttribute("aria-invalid");
    },
    /** Shows the nudge with the server's reasons (plain words, as text), or hides it with `null`. */
    nudge(reasons: readonly string[] | null) {
      nudge.hidden = reasons === null;
      // Only a shown warning describes the field (a hidden one would still be read out).
      body.setAttribute("aria-describedby", reasons ? "cw-body-e cw-nudge" : "cw-body-e");
      nudgeReasons.replaceChildren(...(reasons ?? []).map((reason) => h("li", null, reason)));
    },
    /** "Submit for review" under the nudge. */
    review,
    focusFirstError() {
      [...fieldPaths.map((path) => controls[path]), notify].find((control) => control.getAttribute("aria-invalid") === "true")?.focus();
    },
    /** Reports something to the reader through the live region. */
    say(message: string, isError = false) {
      status.textContent = message;
      status.classList.toggle("err", isError);
    },
    /** Marks the form busy; the button stays focusable (a disabled button would drop keyboard focus). */
    busy(on: boolean) {
      submit.setAttribute("aria-disabled", String(on));
      submit.textContent = on ? t.text("posting") : t.text("post");
      form.setAttribute("aria-busy", String(on));
    },
    setReplyingTo(who: string | null) {
      replying.hidden = who === null;
      replyLabel.replaceChildren(...(who === null ? [] : withName(t.text("replyingTo"), who)));
    },
    focusBody: () => body.focus(),
    controls,
    signIn,
    signOut,
    /**
     * Shows the form for a signed-in reader (`name`: no name, email or website fields; the captcha only when
     * `captcha`) or for a guest (`null`; `canSignIn` offers the site's Sign in).
     */
    setReader(name: string | null, captcha: boolean, canSignIn: boolean) {
      guestFields.hidden = name !== null;
      if (captchaSlot) captchaSlot.hidden = !captcha;
      who.replaceChildren(...(name === null ? [] : withName(t.text("signedInAs"), name)));
      signOut.hidden = name === null;
      signIn.hidden = name !== null || !canSignIn;
      account.hidden = signOut.hidden && signIn.hidden;
      if (name !== null) for (const path of fieldPaths) if (path !== "body") this.setError(path, "");
      signedIn = name !== null;
      syncNotify();
    },
  };
}

/** The form of one widget. */
export type CommentForm = ReturnType<typeof createForm>;
