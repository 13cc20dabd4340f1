import { createTranslator, type Translator } from "../i18n/format.ts";
import { directionOf } from "../i18n/languages.ts";
import type { Messages, TextKey } from "../i18n/messages.ts";
import { unpackMessages } from "../i18n/packed.ts";
import { en } from "../locales/en.ts";
import { loadLocale } from "../runtime.ts";
import { commentActions } from "./actions.ts";
import { ApiError, createApi, sorts, type Comment, type PostAnswer, type SiteSettings, type Sort, type ThreadPage } from "./api.ts";
import { CaptchaError, createCaptcha } from "./captcha.ts";
import { attribute, ConfigError, readConfig, readTheme, type WidgetConfig } from "./config.ts";
import { h } from "./dom.ts";
import { createOwnerActions } from "./editor.ts";
import { createForm, fieldPaths, type CommentForm, type FieldPath, type FormValues } from "./form.ts";
import { readSession, readToken, tokenAttributes, type Session } from "./session.ts";
import { ownedComments, threadStorage, type Draft, type PendingRequest } from "./storage.ts";
import { css } from "./styles.ts";
import { liveUpdates } from "./live.ts";
import { createThreadView } from "./thread.ts";

const mounted = new WeakSet<Element>();
let sheet: CSSStyleSheet | null = null;

/** Constructed stylesheets need no `style-src 'unsafe-inline'` under a host page's CSP. */
function adoptStyles(root: ShadowRoot) {
  if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h("style", null, css));
  }
}

/** A random `Idempotency-Key` (getRandomValues works outside secure contexts too, unlike randomUUID). */
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** Error codes with a sentence of their own in every language (the rest share `error.other`). */
const explained = ["captcha_failed", "captcha_score_too_low", "author_banned", "duplicate_comment", "parent_not_found", "payload_too_large", "site_not_found", "origin_not_allowed"];

/** The reader's own sentence for an API error code (the API's English message is for developers). */
const explainError = (t: Translator, code: string): string =>
  code === "thread_closed" ? t.text("closed") : t.text(explained.includes(code) ? (`error.${code}` as TextKey) : "error.other");

/** The reader's remembered order, if it is one the API knows. */
const savedSort = (site: string, thread: string): Sort | null => {
  const sort = threadStorage(site, thread).sort();
  return (sorts as readonly (string | null)[]).includes(sort) ? (sort as Sort) : null;
};

/** The comment a `#comment-<id>` fragment points to, if any. */
const linkedComment = () => /^#comment-([\w-]{1,64})$/.exec(location.hash)?.[1] ?? null;

/** The page address sent with a post: the canonical URL when it is on this origin, else this address without its fragment. */
function pageOfPost() {
  const canonical = document.querySelector<HTMLLinkElement>("link[rel=canonical]")?.href;
  const url = canonical && new URL(canonical).origin === location.origin ? canonical : location.href.split("#")[0]!;
  return { url, title: [...document.title].slice(0, 300).join("") || undefined };
}

/** The reader's language table: English is built in, any other is loaded on demand (English if that fails). */
async function messagesFor(lang: string, base: string): Promise<Messages> {
  if (lang === "en") return en;
  const packed = await loadLocale(lang, base);
  if (!packed) console.warn(`Comments: "${lang}" texts did not load; showing English.`);
  return packed ? unpackMessages(packed) : en;
}

/**
 * Mounts the comment widget in `host` (inside a shadow root; `base` is the URL embed.js came from, where the
 * language tables live). A missing or bad required attribute shows a clear message in the page and the
 * console instead of a thread.
 */
export function mountWidget(host: HTMLElement, defaultApi: string, base: string): void {
  if (mounted.has(host)) return;
  mounted.add(host);
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  let config: WidgetConfig;
  try {
    config = readConfig(host, defaultApi);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = `Comments could not load: ${error.message}`;
    console.error(message);
    root.replaceChildren();
    adoptStyles(root);
    root.append(h("div", { class: "cw auto" }, h("p", { class: "err", role: "alert" }, message)));
    return;
  }
  // The thread and the language table load side by side; the loader's placeholder stays until the texts are here.
  const api = createApi(config.api, config.site, config.thread);
  const data = Promise.all([api.settings(), api.page({ limit: config.pageSize, sort: savedSort(config.site, config.thread) })]);
  data.catch(() => undefined);
  void messagesFor(config.lang, base).then((messages) => {
    const t = createTranslator(config.lang, directionOf(config.lang), messages);
    const shell = h("div", { class: `cw ${config.theme}`, dir: t.dir, lang: config.lang });
    root.replaceChildren();
    adoptStyles(root);
    root.append(shell);
    // The theme can change live: data-theme="light" | "dark" | "auto".
    new MutationObserver(() => (shell.className = `cw ${readTheme(host)}`)).observe(host, { attributes: true, attributeFilter: ["data-theme", "theme"] });
    void start(host, shell, config, t, data);
  });
}

async function start(host: HTMLElement, shell: HTMLElement, config: WidgetConfig, t: Translator, data: Promise<[SiteSettings, ThreadPage]>): Promise<void> {
  let session: Session | null = null;
  let f: CommentForm | undefined;
  let settings: SiteSettings | undefined;
  const api = createApi(config.api, config.site, config.thread, () => session?.token ?? null);
  const store = threadStorage(config.site, config.thread);
  const owned = ownedComments(config.site);
  let sort = savedSort(config.site, config.thread);
  // The status is the form's live region; a closed thread has none, so what the actions say goes to the console.
  let say = (message: string, isError?: boolean) => (isError ? console.warn : console.info)(`Comments: ${message}`);
  const actions = commentActions({ t, api, store, say: (message, isError) => say(message, isError), show: (comments) => comments.forEach((c) => thread.add(c)) });
  const thread = createThreadView(t, (comment, li, button) => onReply(comment, li, button), {
    onShown: (comment, article, pending) => owner.attach(comment, article, pending),
    actions,
  });
  const maxBodyLength = () => settings?.limits.maxBodyLength ?? 5000;
  const owner = createOwnerActions({
    t,
    api,
    owned,
    thread,
    session: () => session,
    maxBodyLength,
    say: (message, isError) => f?.say(message, isError),
    edited(comment) {
      const pending = comment.status === "pending";
      // An edit a content check would queue leaves the thread for the queue; its author still sees it here.
      if (pending) {
        store.saveQueued([...store.queued().filter((item) => item.comment.id !== comment.id), { comment, savedAt: Date.now() }]);
        thread.setCount(thread.count - 1);
      }
      thread.update(comment, pending)?.focus();
      f?.say(t.text(pending ? "editQueued" : "editSaved"));
    },
    deleted(comment, placeholder) {
      if (placeholder) thread.update({ ...comment, deleted: true })?.focus();
      else {
        thread.remove(comment.id);
        thread.heading.focus();
      }
      thread.setCount(thread.count - 1);
      f?.say(t.text("commentDeleted"));
    },
    invalidToken: () => rejectToken(),
  });
  const featuredList = h("ol");
  const featured = h("section", { "aria-labelledby": "cw-fh", class: "ft", hidden: true }, h("h3", { id: "cw-fh" }, t.text("featured")), featuredList);
  shell.append(thread.heading, featured, thread.empty, thread.list);

  /** The reader's controls follow who is signed in (a signed-in author may delete their comments any time). */
  const refreshOwners = () => {
    for (const article of thread.list.querySelectorAll("article")) {
      const comment = thread.comment(article.id.slice("comment-".length));
      if (comment) owner.attach(comment, article, article.parentElement!.classList.contains("pe"));
    }
  };
  const showReader = () => f?.setReader(session?.name ?? null, !session || settings?.auth?.captchaForSignedIn === true, loginUrl() !== null);
  const loginUrl = () => settings?.auth?.loginUrl ?? attribute(host, "login-url");
  /** Reads the token the host page gave; one that cannot be used puts the reader back to the guest form, told why. */
  const applyToken = () => {
    const token = readToken(host);
    session = token ? readSession(token) : null;
    showReader();
    refreshOwners();
    if (token && !session) rejectToken();
  };
  /** The server (or the token itself) refused the sign-in: back to the guest form, never a half signed-in state. */
  const rejectToken = () => {
    console.warn("Comments: sign-in token refused; continuing as a guest.");
    session = null;
    for (const name of tokenAttributes) host.removeAttribute(name);
    showReader();
    refreshOwners();
    host.dispatchEvent(new CustomEvent("comments:invalid-token", { bubbles: true }));
    f?.say(t.text("signInFailed"), true);
  };
  // element.login(token) / element.logout() set and remove the attribute: the reader changes without a reload.
  new MutationObserver(applyToken).observe(host, { attributes: true, attributeFilter: tokenAttributes });
  session = readSession(readToken(host) ?? "");

  let first: ThreadPage;
  try {
    [settings, first] = await data;
  } catch (error) {
    const reason = error instanceof ApiError && error.status !== 0 ? ` ${error.message}` : "";
    console.error(`Comments: could not load site "${config.site}", thread "${config.thread}" from ${config.api}.${reason}`);
    thread.heading.textContent = t.text("loadFailed");
    if (error instanceof ApiError && explained.includes(error.code)) shell.append(h("p", { class: "hint" }, explainError(t, error.code)));
    const retry = h("button", { type: "button", class: "more" }, t.text("tryAgain"));
    retry.addEventListener("click", () => {
      shell.replaceChildren();
      const again = Promise.all([api.settings(), api.page({ limit: config.pageSize, sort })]);
      again.catch(() => undefined);
      void start(host, shell, config, t, again);
    });
    shell.append(retry);
    return;
  }

  let cursor: string | null = null;
  const more = h("button", { type: "button", class: "more" }, t.text("loadMore"));
  shell.append(more);

  /** Shows a page; the reader's queued comments that have since been published are forgotten. */
  const showPage = (page: ThreadPage) => {
    if (page.featured) {
      featuredList.replaceChildren(...page.featured.map(thread.featured));
      featured.hidden = page.featured.length === 0;
    }
    const added = page.comments.map((comment) => thread.add(comment));
    const published = new Set(page.comments.map((comment) => comment.id));
    const queued = store.queued();
    const left = queued.filter((item) => !published.has(item.comment.id));
    if (left.length !== queued.length) store.saveQueued(left);
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    return added;
  };

  const showFirst = (page: ThreadPage) => {
    thread.reset();
    thread.setCount(page.thread.commentCount);
    showPage(page);
    for (const item of store.queued()) thread.add(item.comment, true);
  };
  showFirst(first);
  setInterval(thread.tick, 60_000);

  // The order control: the reader's choice is remembered for the site's other threads.
  const order = h("select", { id: "cw-sort" }, ...sorts.map((value) => h("option", { value }, t.text(`sort.${value}`))));
  order.value = sort ?? settings.defaultSort ?? "oldest";
  order.addEventListener("change", async () => {
    sort = order.value as Sort;
    store.saveSort(sort);
    try {
      showFirst(await api.page({ limit: config.pageSize, sort }));
    } catch {
      say(t.text("loadFailed"), true);
    }
  });
  thread.heading.after(h("p", { class: "tc" }, h("label", { for: "cw-sort" }, t.text("sortBy")), " ", order));

  // Live updates: new comments wait behind a button; the page never moves on its own.
  const seconds = settings.liveUpdateSeconds ?? 0;
  if (seconds > 0) {
    const reveal = (page: ThreadPage) => {
      // Newest first: new top-level comments go above the others, in the page's order.
      const fresh = page.comments.filter((comment) => !thread.has(comment.id));
      const shown = (sort === "newest" ? [...fresh].reverse() : fresh).map((comment) => thread.add(comment, false, sort === "newest"));
      thread.setCount(page.thread.commentCount);
      (shown.find((article) => fresh.some((c) => article.id === `comment-${c.id}`)) ?? thread.heading).focus();
    };
    featured.before(liveUpdates(t, seconds, (etag) => api.check({ limit: config.pageSize, sort }, etag), () => thread.count, reveal));
  }

  /** Shows the comment a `#comment-<id>` link points to (fetching the page that holds it), scrolls to it and focuses it. */
  const goToLinked = async () => {
    const id = linkedComment();
    if (!id) return;
    const find = () => thread.find(id)?.querySelector<HTMLElement>(":scope>article") ?? null;
    if (!find()) {
      try {
        showPage(await api.page({ limit: config.pageSize, sort, around: id }));
      } catch {
        return;
      }
    }
    const target = find();
    if (!target) return;
    shell.querySelector(".hl")?.classList.remove("hl");
    target.classList.add("hl");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  };
  addEventListener("hashchange", () => void goToLinked());
  void goToLinked();

  let loading = false;
  more.addEventListener("click", async () => {
    if (loading) return;
    loading = true;
    more.setAttribute("aria-busy", "true");
    try {
      const added = showPage(await api.page({ limit: config.pageSize, cursor, sort }));
      more.textContent = t.text("loadMore");
      // The button is gone on the last page: keyboard focus moves to the first comment it loaded.
      if (cursor === null) added[0]?.focus();
    } catch {
      more.textContent = t.text("tryAgain");
    } finally {
      loading = false;
      more.removeAttribute("aria-busy");
    }
  });

  const footer = h("p", { class: "hint" }, h("a", { href: api.feed, type: "application/atom+xml" }, t.text("feed")));
  if (first.thread.closed) {
    shell.append(h("p", { class: "hint" }, t.text("closed")), footer);
    return;
  }

  const captcha = createCaptcha(settings.captcha, t, host);
  f = createForm(t, captcha.element);
  const form = f;
  const home = h("div", null, form.form);
  shell.append(home, footer);
  say = form.say;
  form.form.addEventListener("focusin", () => captcha.warm(), { once: true });

  applyToken();
  form.signOut.addEventListener("click", () => {
    for (const name of tokenAttributes) host.removeAttribute(name);
    applyToken();
    host.dispatchEvent(new CustomEvent("comments:logout", { bubbles: true }));
    // The Sign out button hides: the keyboard goes on from the first field the guest form shows.
    (form.signIn.hidden ? form.controls["author.name"] : form.signIn).focus();
  });
  form.signIn.addEventListener("click", () => {
    const url = loginUrl();
    // The host page may open its own sign-in (a dialog, a popup) by cancelling the event.
    if (host.dispatchEvent(new CustomEvent("comments:login", { bubbles: true, cancelable: true })) && url) location.assign(url);
  });

  const author = store.author();
  let draft: Draft = store.draft() ?? { body: "", name: author?.name ?? "", email: author?.email ?? "", url: author?.url ?? "", parentId: null, parentName: null, request: null };
  form.fill(draft);
  if (draft.request) form.say(t.text("unsent"));
  const save = (changes: Partial<Draft>) => store.saveDraft((draft = { ...draft, ...changes }));

  let replyButton: HTMLButtonElement | null = null;
  /** Moves the one form under the comment being answered, or back under the thread. */
  const placeForm = (parentId: string | null, parentName: string | null, li?: HTMLLIElement | null, button?: HTMLButtonElement | null) => {
    replyButton?.setAttribute("aria-expanded", "false");
    replyButton = button ?? null;
    button?.setAttribute("aria-expanded", "true");
    save({ parentId, parentName });
    form.setReplyingTo(parentName);
    if (li) li.insertBefore(form.form, li.children[1] ?? null);
    else home.append(form.form);
  };
  const onReply = (comment: Comment, li: HTMLLIElement, button: HTMLButtonElement) => {
    if (draft.parentId === comment.id) {
      placeForm(null, null);
      button.focus();
    } else {
      placeForm(comment.id, comment.author.name, li, button);
      form.focusBody();
    }
  };
  form.cancel.addEventListener("click", () => {
    const button = replyButton;
    placeForm(null, null);
    (button ?? form.controls.body).focus();
  });
  if (draft.parentId) {
    // A reply in progress goes back under its comment (or stays at the bottom if that page is not loaded).
    const li = thread.find(draft.parentId);
    placeForm(draft.parentId, draft.parentName ?? "", li, li?.querySelector<HTMLButtonElement>(":scope>article .rp"));
  }

  // Never lose a draft: every keystroke is kept on this device until the server accepts the comment.
  form.form.addEventListener("input", (event) => {
    const { body, name, email, url } = form.values();
    save({ body, name, email, url });
    const path = fieldPaths.find((p) => form.controls[p] === event.target);
    if (path) form.setError(path, "");
  });

  const accepted = ({ comment, editToken, editableUntil }: PostAnswer, reader: Session | null, body: string) => {
    // Kept before the comment is shown, so it appears with the reader's Edit and Delete.
    if (editToken || reader) owned.set(comment.id, { token: editToken ?? null, until: editableUntil ?? null, sub: reader?.sub ?? null, body });
    const pending = comment.status === "pending";
    const known = thread.has(comment.id);
    const wasReply = draft.parentId !== null;
    form.fill({ body: "" });
    save({ body: "", request: null });
    placeForm(null, null);
    if (pending) store.saveQueued([...store.queued().filter((item) => item.comment.id !== comment.id), { comment, savedAt: Date.now() }]);
    const article = thread.add(comment, pending);
    if (!pending && !known) thread.setCount(thread.count + 1);
    if (wasReply) article.focus();
    form.say(t.text(pending ? "awaitingModeration" : "published"));
  };

  /** The reader's language for a field the server refused (its English message is the contract, not ours). */
  const fieldError = (path: FieldPath, values: FormValues): string => {
    if (path === "body") return values.body.trim() ? t.plural("tooLong", maxBodyLength()) : t.text("bodyEmpty");
    if (path === "author.name") return values.name.trim() ? t.plural("nameTooLong", 100) : t.text("nameEmpty");
    return t.text(path === "author.email" ? "invalidEmail" : "invalidUrl");
  };
  const errorText = (code: string) => explainError(t, code);

  const refused = (error: ApiError, values: FormValues, request: PendingRequest | null) => {
    if (error.status === 0 || error.status >= 500) {
      // Not refused, just not answered: the request (and its Idempotency-Key) stays with the draft.
      form.say(t.text("notSent"), true);
      return;
    }
    save({ request: null });
    if (error.code === "invalid_token") return rejectToken();
    if (error.code === "nudge") {
      // Nothing was stored and the server let go of the key: the draft stays for an edit or a review.
      nudged = request;
      form.nudge(error.reasons);
      form.say("");
      return;
    }
    const fields = error.fields;
    if (fields.notify) form.setNotifyError(t.text("notifyNeedsEmail"));
    for (const path of fieldPaths) if (fields[path]) form.setError(path, fieldError(path, values));
    const other = Object.keys(fields).filter((path) => path !== "notify" && !(fieldPaths as readonly string[]).includes(path));
    const onFields = Object.keys(fields).length > other.length;
    if (error.code === "rate_limited") form.say(t.plural("rateLimited", error.retryAfter ?? 60), true);
    else if (onFields && other.length === 0) form.say("");
    else form.say(errorText(error.code), true);
    if (onFields) form.focusFirstError();
  };

  let sending = false;
  /** The request the server answered with a nudge; "Submit for review" sends it again acknowledged, with its key. */
  let nudged: PendingRequest | null = null;
  let acknowledge = false;
  form.review.addEventListener("click", () => {
    acknowledge = true;
    form.form.requestSubmit();
  });
  form.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    const values = form.values();
    const acknowledged = acknowledge;
    acknowledge = false;
    form.clearErrors();
    if (!values.body.trim()) form.setError("body", t.text("bodyEmpty"));
    else if ([...values.body].length > maxBodyLength()) form.setError("body", t.plural("tooLong", maxBodyLength()));
    const reader = session;
    if (!reader && !values.name.trim()) form.setError("author.name", t.text("nameEmpty"));
    if (form.form.querySelector("[aria-invalid]")) {
      form.say("");
      form.focusFirstError();
      return;
    }
    sending = true;
    form.busy(true);
    form.say("");
    try {
      const fields = JSON.stringify([values, draft.parentId, reader?.sub ?? null]);
      let request = draft.request;
      // A request the server may already hold is resent byte for byte with its key; edits start a new one.
      if (!request || request.fields !== fields || acknowledged) {
        // A signed-in reader's name comes from their token; the captcha only when the site asks for it.
        const body = {
          author: reader ? undefined : { name: values.name, email: values.email || undefined, url: values.url || undefined },
          body: values.body,
          parentId: draft.parentId,
          captchaToken: !reader || settings.auth?.captchaForSignedIn ? await captcha.token() : undefined,
          website: values.website || undefined,
          notify: values.notify ?? undefined,
          page: pageOfPost(),
          acknowledgeNudge: acknowledged || undefined,
        };
        // A nudged request was not stored, so the same post keeps its key when sent for review.
        const key = acknowledged && nudged?.fields === fields ? nudged.key : newKey();
        request = { key, json: JSON.stringify(body), fields };
        save({ request });
      }
      const answer = await api.post(request.json, request.key, () => form.say(t.text("retrying")));
      captcha.reset();
      accepted(answer, reader, values.body);
    } catch (error) {
      if (error instanceof CaptchaError) form.say(error.message, true);
      else if (error instanceof ApiError) {
        if (error.status !== 0 && error.status < 500) captcha.reset();
        refused(error, values, draft.request);
      } else throw error;
    } finally {
      sending = false;
      form.busy(false);
    }
  });
}
