import { ReviewApp } from "./app.ts";
import { readConfig, ReviewConfigError } from "./config.ts";

/** Entry of the review page bundle: mounts on `#cw-review` (its `data-api` / `data-thread-url` configure it). */
function boot(): void {
  const root = document.getElementById("cw-review");
  if (!root) {
    console.error("Review page: no element with id cw-review to mount on.");
    return;
  }
  try {
    void new ReviewApp(root, readConfig(root, window.location)).start();
  } catch (error) {
    if (!(error instanceof ReviewConfigError)) throw error;
    root.textContent = `The review page is misconfigured: ${error.message}`;
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
