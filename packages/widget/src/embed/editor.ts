import type { Translator } from "../i18n/format.ts";
import { ApiError, type Api, type Comment, type PostedComment } from "./api.ts";
import { h } from "./dom.ts";
import type { Session } from "./session.ts";
import type { Owned, OwnedComments } from "./storage.ts";
import type { ThreadView } from "./thread.ts";

/** What the reader's Edit and Delete need from the rest of the widget. */
export interface OwnerDeps {
  t: Translator;
  api: Api;
  owned: OwnedComments;
  thread: ThreadView;
  session: () => Session | null;
  maxBodyLength: () => number;
  /** Reports an outcome through the widget's live region. */
  say: (message: string, isError?: boolean) => void;
  /** An edit was saved (`status` pending: it went back to the moderation queue). */
  edited: (comment: PostedComment) => void;
  /** The comment was deleted; `placeholder` when its replies keep it in the thread. */
  deleted: (comment: Comment, placeholder: boolean) => void;
  /** The server refused the sign-in token (401 `invalid_token`). */
  invalidToken: () => void;
}

/** Codes that mean this comment cannot be changed from here any more. */
const final = ["edit_window_closed", "edit_limit", "not_author", "comment_not_found"];

/** `m:ss` with the language's digits. */
function clock(t: Translator, ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${t.number(Math.floor(seconds / 60))}:${new Intl.NumberFormat(t.lang, { minimumIntegerDigits: 2 }).format(seconds % 60)}`;
}

/**
 * Edit and Delete on the reader's own comments: a guest's while the edit window is open (by the edit token
 * kept on this device), a signed-in author's Delete at any time. The window's countdown is a `role="timer"`
 * (not a live region), so a screen reader hears it when it reaches it, not every second.
 */
export function createOwnerActions(deps: OwnerDeps) {
  const { t, api, owned, thread } = deps;
  const timers = new Set<{ until: number; timer: HTMLElement; article: HTMLElement; comment: Comment }>();
  let ticking: ReturnType<typeof setInterval> | undefined;

  const isAuthor = (record: Owned) => record.sub !== null && deps.session()?.sub === record.sub;
  const credentials = (record: Owned) => ({ editToken: isAuthor(record) ? null : record.token });

  /** Adds the reader's controls to one shown comment (or nothing, when it is not theirs or no longer changeable). */
  function attach(comment: Comment, article: HTMLElement, pending: boolean): void {
    article.querySelector(":scope .ow")?.remove();
    const record = owned.get(comment.id);
    if (!record || comment.deleted || pending) return;
    const until = record.until ? Date.parse(record.until) : 0;
    const open = until > Date.now() && (record.token !== null || isAuthor(record));
    if (!open && !isAuthor(record)) return;
    const group = h("span", { class: "ow" });
    if (open) {
      const edit = h("button", { type: "button", class: "lk" }, t.text("edit"));
      edit.addEventListener("click", () => openEditor(comment, article, record));
      const timer = h("span", { class: "hint", role: "timer" }, t.text("editableFor", { time: clock(t, until - Date.now()) }));
      group.append(edit);
      timers.add({ until, timer, article, comment });
      ticking ??= setInterval(tick, 1000);
      group.append(deleteButton(comment, article, record), timer);
    } else {
      group.append(deleteButton(comment, article, record));
    }
    article.querySelector(":scope>.ac")?.append(group);
  }

  /** Counts down every open window; a window that closes takes its controls with it. */
  function tick() {
    for (const entry of timers) {
      const left = entry.until - Date.now();
      if (!entry.article.isConnected) timers.delete(entry);
      else if (left > 0) entry.timer.textContent = t.text("editableFor", { time: clock(t, left) });
      else {
        timers.delete(entry);
        // Not while the reader is typing an edit: the server's answer will say the window closed.
        if (!entry.article.querySelector(".ed")) attach(entry.comment, entry.article, false);
      }
    }
    if (timers.size === 0) ticking = clearInterval(ticking) as undefined;
  }

  function deleteButton(comment: Comment, article: HTMLElement, record: Owned) {
    const button = h("button", { type: "button", class: "lk" }, t.text("delete"));
    button.addEventListener("click", () => {
      const group = button.parentElement!;
      const yes = h("button", { type: "button", class: "lk" }, t.text("delete"));
      const no = h("button", { type: "button", class: "lk" }, t.text("cancel"));
      const ask = h("span", { class: "ow", role: "group", "aria-labelledby": `cw-dq-${comment.id}` }, h("span", { id: `cw-dq-${comment.id}` }, t.text("confirmDelete")), yes, no);
      group.replaceWith(ask);
      yes.focus();
      no.addEventListener("click", () => {
        ask.replaceWith(group);
        button.focus();
      });
      yes.addEventListener("click", async () => {
        if (yes.getAttribute("aria-disabled") === "true") return;
        yes.setAttribute("aria-disabled", "true");
        try {
          await api.remove(comment.id, credentials(record));
          owned.forget(comment.id);
          deps.deleted(comment, thread.hasReplies(comment.id));
        } catch (error) {
          yes.removeAttribute("aria-disabled");
          failed(error, comment, article);
        }
      });
    });
    return button;
  }

  function failed(error: unknown, comment: Comment, article: HTMLElement) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "invalid_token") return deps.invalidToken();
    if (final.includes(error.code)) {
      owned.forget(comment.id);
      attach(comment, article, false);
      article.querySelector(".ed")?.remove();
      article.querySelector<HTMLElement>(".bd")?.removeAttribute("hidden");
      article.focus();
    }
    deps.say(t.text(final.includes(error.code) ? "cannotChange" : error.status === 0 || error.status >= 500 ? "notSaved" : "error.other"), true);
  }

  /** Edits in place: the body gives way to a labelled textarea with Save and Cancel. */
  function openEditor(comment: Comment, article: HTMLElement, record: Owned) {
    if (article.querySelector(".ed")) return;
    const shown = article.querySelector<HTMLElement>(".bd")!;
    const id = `cw-ed-${comment.id}`;
    const text = h("textarea", { id, rows: 4, "aria-describedby": `${id}-e` });
    text.value = record.body ?? shown.innerText.trim();
    const problem = h("p", { id: `${id}-e`, class: "fe" });
    const save = h("button", { type: "submit", class: "btn" }, t.text("save"));
    const cancel = h("button", { type: "button", class: "lk" }, t.text("cancel"));
    const form = h("form", { class: "ed", novalidate: true }, h("label", { for: id }, t.text("editLabel")), text, problem, h("div", null, save, " ", cancel));
    const close = () => {
      form.remove();
      shown.hidden = false;
    };
    const setProblem = (message: string) => {
      problem.textContent = message;
      if (message) text.setAttribute("aria-invalid", "true");
      else text.removeAttribute("aria-invalid");
    };
    const bodyProblem = (value: string) =>
      !value.trim() ? t.text("bodyEmpty") : [...value].length > deps.maxBodyLength() ? t.plural("tooLong", deps.maxBodyLength()) : "";
    cancel.addEventListener("click", () => {
      close();
      article.querySelector<HTMLButtonElement>(".ow .lk")?.focus();
    });
    text.addEventListener("input", () => setProblem(""));
    let saving = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (saving) return;
      const value = text.value;
      setProblem(bodyProblem(value));
      if (problem.textContent) return text.focus();
      saving = true;
      save.setAttribute("aria-disabled", "true");
      try {
        const answer = await api.edit(comment.id, value, credentials(record));
        owned.set(comment.id, { ...record, body: value });
        deps.edited(answer.comment);
      } catch (error) {
        // The server's field message is English (the contract); the reader gets the same sentence as in the form.
        if (error instanceof ApiError && error.fields.body) {
          setProblem(bodyProblem(value) || t.plural("tooLong", deps.maxBodyLength()));
          text.focus();
        } else failed(error, comment, article);
      } finally {
        saving = false;
        save.removeAttribute("aria-disabled");
      }
    });
    shown.hidden = true;
    shown.after(form);
    text.focus();
  }

  return { attach };
}

/** The reader's Edit and Delete of one widget. */
export type OwnerActions = ReturnType<typeof createOwnerActions>;
