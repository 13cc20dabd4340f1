import { fileURLToPath } from "node:url";
import { bundleBrowserEntry, type Asset } from "./bundle.ts";

/** Everything a host page downloads from us (embed.js + count.js) must fit in this many gzipped bytes. */
export const widgetBudgetBytes = 15 * 1024;

/** The built browser assets of the widget. */
export interface WidgetAssets {
  embed: Asset;
  count: Asset;
}

const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));
let built: Promise<WidgetAssets> | null = null;

/** Bundles embed.js and count.js once per process (esbuild, in memory). */
export function widgetAssets(): Promise<WidgetAssets> {
  built ??= Promise.all([
    bundleBrowserEntry(entry("../embed/index.ts"), "embed.js"),
    bundleBrowserEntry(entry("../count/index.ts"), "count.js"),
  ]).then(
    ([embed, count]) => ({ embed, count }),
    (error: unknown) => {
      built = null;
      throw error;
    },
  );
  return built;
}
