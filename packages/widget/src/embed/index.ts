/**
 * embed.js, the loader: the only script a host page runs before the reader comes near the comments. It finds
 * `<div id="comments">` and `<comment-thread>` hosts, reserves their space, and loads the widget bundle
 * (which calls the API) once a host is within one viewport of being seen. `data-loading="eager"` on a
 * host, or a page opened at `#comment-<id>`, loads at once. It never calls the API itself.
 */
import { loadScript, runtime, type MountRequest } from "../runtime.ts";

// Only readable while the script first runs (async scripts included).
const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src || location.href;
const defaultApi = script?.dataset.api ?? (script?.src ? new URL(script.src).origin : location.origin);
const shared = runtime();
const waiting = new Set<HTMLElement>();

function load(host: HTMLElement) {
  if (!waiting.delete(host)) return;
  observer?.unobserve(host);
  const request: MountRequest = [host, defaultApi, base];
  if (shared.mount) return shared.mount(...request);
  shared.queue.push(request);
  loadScript(new URL(__WIDGET_FILE__, base).href).catch((error: unknown) => console.error("Comments could not load:", error));
}

const observer =
  "IntersectionObserver" in window
    ? new IntersectionObserver((entries) => entries.forEach((entry) => entry.isIntersecting && load(entry.target as HTMLElement)), { rootMargin: "100% 0px" })
    : null;

let sheet: CSSStyleSheet | undefined;
/** A constructed stylesheet: allowed under a host page's strict CSP, unlike a style attribute or element. */
const placeholderSheet = () => {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(":host{display:block!important;visibility:visible!important;opacity:1!important;min-height:12rem}");
  }
  return sheet;
};

const deepLink = () => /^#comment-./.test(location.hash);

/** The host page's sign-in hooks: the token lives in the attribute the widget watches, so they work before it loads. */
interface SignInHost extends HTMLElement {
  login?(token: string): void;
  logout?(): void;
}

function watch(host: SignInHost) {
  if (waiting.has(host) || host.shadowRoot) return;
  waiting.add(host);
  host.login = (token) => host.setAttribute("data-sso-token", token);
  host.logout = () => ["data-sso-token", "sso-token"].forEach((name) => host.removeAttribute(name));
  // A quiet placeholder that keeps its room (so the page does not jump when the thread arrives) and stays
  // visible to the observer even under host CSS that hides it; the widget replaces both.
  const root = host.attachShadow({ mode: "open" });
  const placeholder = document.createElement("div");
  placeholder.setAttribute("aria-busy", "true");
  root.append(placeholder);
  if (root.adoptedStyleSheets) root.adoptedStyleSheets = [placeholderSheet()];
  if (!observer || (host.dataset.loading ?? host.getAttribute("loading")) === "eager" || deepLink()) load(host);
  else observer.observe(host);
}

// A link to a comment followed later on the same page loads the widget at once too.
addEventListener("hashchange", () => deepLink() && waiting.forEach(load));

if (!customElements.get("comment-thread")) {
  customElements.define(
    "comment-thread",
    class extends HTMLElement {
      connectedCallback() {
        watch(this);
      }
    },
  );
}

const watchAll = () => document.querySelectorAll<HTMLElement>("div#comments").forEach(watch);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchAll);
else watchAll();
