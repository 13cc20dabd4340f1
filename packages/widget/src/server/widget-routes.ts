import { Hono, type Handler } from "hono";
import { gzipSync } from "node:zlib";
import { supportedLanguage } from "../i18n/languages.ts";
import { widgetAssets } from "./assets.ts";
import type { Asset } from "./bundle.ts";
import { englishArticlePage } from "./pages/article-en.ts";
import { persianArticlePage } from "./pages/article-fa.ts";

/**
 * Serves a built asset: gzip when the client accepts it, `max-age=300` by default and a year (immutable)
 * when the URL names the current hash as `?v=<hash>`.
 */
function serveAsset(asset: Asset, immutable = false): Handler {
  const gzipped = gzipSync(asset.contents, { level: 9 });
  const etag = `"${asset.hash}"`;
  return (c) => {
    const headers: Record<string, string> = {
      "Content-Type": asset.contentType,
      "Cache-Control": immutable || c.req.query("v") === asset.hash ? "public, max-age=31536000, immutable" : "public, max-age=300",
      ETag: etag,
      Vary: "Accept-Encoding",
      "X-Content-Type-Options": "nosniff",
      // Host pages that isolate themselves (COEP) may still load the script from our origin.
      "Cross-Origin-Resource-Policy": "cross-origin",
    };
    const ifNoneMatch = c.req.header("if-none-match") ?? "";
    if (ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) return c.body(gzipped, 200, { ...headers, "Content-Encoding": "gzip" });
    return c.body(asset.contents, 200, headers);
  };
}

/**
 * The widget's routes for the local server: `/embed.js` (the loader), `/count.js`, the content-named widget
 * bundle and language tables they load (cached for a year), and the demo articles `/` and `/fa`, whose
 * `?lang=` chooses the widget's language. With `demoToken` (the local server's route that mints a demo reader's
 * sign-in token) the articles offer "Sign in as a demo reader" and its staff variant.
 */
export async function widgetRoutes(options: { demoToken?: string } = {}): Promise<Hono> {
  const { embed, widget, count, locales } = await widgetAssets();
  const scripts = { embed: `/embed.js?v=${embed.hash}`, count: `/count.js?v=${count.hash}`, demoToken: options.demoToken };
  const app = new Hono();
  app.get("/embed.js", serveAsset(embed));
  app.get("/count.js", serveAsset(count));
  for (const asset of [widget, ...locales]) app.get(`/${asset.name}`, serveAsset(asset, true));
  app.get("/", (c) => c.html(englishArticlePage(scripts, supportedLanguage(c.req.query("lang")) ?? "en")));
  app.get("/fa", (c) => c.html(persianArticlePage(scripts, supportedLanguage(c.req.query("lang")) ?? "fa")));
  return app;
}
