import { Hono } from "hono";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { reviewCss } from "../review/styles.ts";
import { bundleBrowserEntry, describeAsset, type Asset } from "./bundle.ts";

/** The review page as static files: `moderate.html` and `moderate.js` (deployable to any static host). */
export interface ReviewAssets {
  html: Asset;
  script: Asset;
}

/** Where the page is configured when served as a static file (see docs/moderation.md). */
export interface ReviewPageOptions {
  /** URL of the bundle as the page references it. */
  scriptSrc: string;
  /** `data-api`: the API base; empty means the page's own origin. */
  api?: string;
  /** `data-thread-url`: article URL template with `{thread}` (and `{site}`). */
  threadUrl?: string;
}

const styleHash = createHash("sha256").update(reviewCss).digest("base64");

/**
 * The page's Content-Security-Policy: our script and our one inline stylesheet only, API calls to any https
 * origin (the API may live elsewhere) or a local one.
 */
export const reviewCsp = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'sha256-${styleHash}'`,
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const escapeAttribute = (value: string) => value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/** The static HTML of the review page; the bundle builds everything else. */
export function reviewPageHtml(options: ReviewPageOptions): string {
  return `<!doctype html>
<html lang="en" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(reviewCsp)}">
<title>Moderation</title>
<style>${reviewCss}</style>
<script src="${escapeAttribute(options.scriptSrc)}" defer></script>
</head>
<body>
<div id="cw-review" data-api="${escapeAttribute(options.api ?? "")}" data-thread-url="${escapeAttribute(options.threadUrl ?? "")}">
<noscript>The review page needs JavaScript.</noscript>
</div>
</body>
</html>
`;
}

let built: Promise<Asset> | null = null;

/** Bundles the review page's script once per process (esbuild, in memory). */
export function reviewScript(): Promise<Asset> {
  built ??= bundleBrowserEntry(fileURLToPath(new URL("../review/index.ts", import.meta.url)), "moderate.js").catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}

/** Both static files, for a deployment that serves the page from a bucket or CDN. */
export async function buildReviewAssets(options: Omit<ReviewPageOptions, "scriptSrc"> = {}): Promise<ReviewAssets> {
  const script = await reviewScript();
  const html = describeAsset("moderate.html", reviewPageHtml({ ...options, scriptSrc: `moderate.js?v=${script.hash}` }), "text/html; charset=utf-8");
  return { html, script };
}

/** Headers every response of the page carries. */
const pageHeaders = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** The local server's routes for the review page: `/moderate` (HTML) and `/moderate.js` (its bundle). */
export async function reviewRoutes(): Promise<Hono> {
  const script = await reviewScript();
  const html = reviewPageHtml({ scriptSrc: `/moderate.js?v=${script.hash}` });
  const gzipped = gzipSync(script.contents, { level: 9 });
  const app = new Hono();
  app.get("/moderate", (c) =>
    c.html(html, 200, {
      ...pageHeaders,
      "Content-Security-Policy": `${reviewCsp}; frame-ancestors 'none'`,
      "Cache-Control": "no-cache",
    }),
  );
  app.get("/moderate/", (c) => c.redirect("/moderate", 301));
  app.get("/moderate.js", (c) => {
    const headers = {
      ...pageHeaders,
      "Content-Type": script.contentType,
      "Cache-Control": c.req.query("v") === script.hash ? "public, max-age=31536000, immutable" : "no-cache",
      ETag: `"${script.hash}"`,
      Vary: "Accept-Encoding",
    };
    if ((c.req.header("if-none-match") ?? "").includes(`"${script.hash}"`)) return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) return c.body(gzipped, 200, { ...headers, "Content-Encoding": "gzip" });
    return c.body(script.contents, 200, headers);
  });
  return app;
}
