/**
 * embed.js: mounts the comment widget in `<div id="comments" data-site data-thread>` and defines the
 * `<comment-thread site thread>` element. The API base is this script's origin unless `data-api` says otherwise.
 */
import { mountWidget } from "./widget.ts";

// Only readable while the script first runs (async scripts included).
const script = document.currentScript as HTMLScriptElement | null;
const defaultApi = script?.dataset.api ?? (script?.src ? new URL(script.src).origin : location.origin);

if (!customElements.get("comment-thread")) {
  customElements.define(
    "comment-thread",
    class extends HTMLElement {
      connectedCallback() {
        mountWidget(this, defaultApi);
      }
    },
  );
}

const mountAll = () => document.querySelectorAll<HTMLElement>("div#comments").forEach((host) => mountWidget(host, defaultApi));
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
