import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Language } from "../i18n/languages.ts";
import type { Messages } from "../i18n/messages.ts";
import { packMessages } from "../i18n/packed.ts";
import { localeTables } from "../locales/index.ts";
import { bundleBrowserEntry, describeAsset, type Asset } from "./bundle.ts";

/**
 * Size budgets in gzipped bytes, enforced by `npm run build:widget`: what a host page runs before the reader
 * comes near the comments (embed.js) and what comes after (the widget with English, then one other
 * language's table on demand); count.js runs on article lists and front pages.
 */
export const widgetBudgets = {
  loader: 2 * 1024,
  widget: 15 * 1024,
  locale: 2 * 1024,
  count: 2 * 1024,
} as const;

/** The built browser assets of the widget. */
export interface WidgetAssets {
  /** embed.js, the loader a host page includes. */
  embed: Asset;
  /** The widget itself, `assets/widget.<hash>.js`, loaded by embed.js when the comment box comes near. */
  widget: Asset;
  count: Asset;
  /** One table per language other than English (built into the widget), `assets/locale-<lang>.<version>.js`. */
  locales: Asset[];
}

const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));
let built: Promise<WidgetAssets> | null = null;

/** The text of a language table's script: it registers the table in the page's shared runtime (runtime.ts). */
function localeScript(lang: string, messages: Messages): string {
  return `(function(r){(r.locales=r.locales||{})[${JSON.stringify(lang)}]=${JSON.stringify(packMessages(messages))}})(self.__commentsWidget=self.__commentsWidget||{queue:[]});\n`;
}

async function buildAll(): Promise<WidgetAssets> {
  const tables = (Object.entries(localeTables) as [Language, Messages][]).filter(([lang]) => lang !== "en");
  const scripts = tables.map(([lang, messages]) => [lang, localeScript(lang, messages)] as const);
  // One version for every table: the widget and count.js then need one constant, not a list of hashes.
  const version = createHash("sha256").update(scripts.map(([, text]) => text).join("\n")).digest("hex").slice(0, 12);
  const locales = scripts.map(([lang, text]) => describeAsset(`assets/locale-${lang}.${version}.js`, text, "text/javascript; charset=utf-8"));
  const constants = { __LOCALE_VERSION__: version, __WIDGET_FILE__: "" };
  const bundled = await bundleBrowserEntry(entry("../embed/widget-entry.ts"), "widget.js", constants);
  // Content-named files live under assets/: one CDN route serves them all, cached for a year.
  const widget = { ...bundled, name: `assets/widget.${bundled.hash}.js` };
  const [embed, count] = await Promise.all([
    bundleBrowserEntry(entry("../embed/index.ts"), "embed.js", { ...constants, __WIDGET_FILE__: widget.name }),
    bundleBrowserEntry(entry("../count/index.ts"), "count.js", constants),
  ]);
  return { embed, widget, count, locales };
}

/** Bundles embed.js, the widget, count.js and the language tables once per process (esbuild, in memory). */
export function widgetAssets(): Promise<WidgetAssets> {
  built ??= buildAll().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}

/** One line of the budget report: an asset, its budget, and whether it fits. */
export interface BudgetCheck {
  asset: Asset;
  budget: number;
  what: string;
  fits: boolean;
}

/** Every budget the build enforces, checked against built assets. */
export function checkBudgets(assets: WidgetAssets, budgets: typeof widgetBudgets = widgetBudgets): BudgetCheck[] {
  const check = (asset: Asset, budget: number, what: string): BudgetCheck => ({ asset, budget, what, fits: asset.gzipBytes <= budget });
  return [
    check(assets.embed, budgets.loader, "loader, runs on every article page"),
    check(assets.widget, budgets.widget, "widget with English, loaded near the comments"),
    ...assets.locales.map((asset) => check(asset, budgets.locale, "one language, loaded on demand")),
    check(assets.count, budgets.count, "comment counts"),
  ];
}
