import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** One file of the widget build as it is uploaded and served. */
export interface PlannedAsset {
  /** Absolute path of the built file. */
  file: string;
  /** Object key in the bucket, which is also its URL path without the leading slash. */
  key: string;
  contentType: string;
  cacheControl: string;
}

/** Files whose name carries a content hash (`embed.3f9c2a1b.js`) never change: cache them for a year. */
export const immutableCache = "public, max-age=31536000, immutable";
/** Stable names (`embed.js`, the review page) change in place: short-lived, refreshed at the edge on deploy. */
export const revalidatedCache = "public, max-age=300, stale-while-revalidate=86400";

const contentTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

const hashedName = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;

/**
 * Plans the upload of the widget build (`packages/widget/dist`): every file keeps its path, `.html` pages lose
 * the extension (`moderate.html` is served at `/moderate`), content-hashed names are cached for a year and
 * stable names for five minutes.
 */
export function planWidgetAssets(distDir: string): PlannedAsset[] {
  const files = listFiles(distDir);
  return files.map((file) => {
    const path = relative(distDir, file).split(sep).join("/");
    const extension = /\.[^./]+$/.exec(path)?.[0]?.toLowerCase() ?? "";
    const key = extension === ".html" ? path.slice(0, -extension.length) : path;
    return {
      file,
      key,
      contentType: contentTypes[extension] ?? "application/octet-stream",
      cacheControl: hashedName.test(path) ? immutableCache : revalidatedCache,
    };
  });
}

/** The router paths that must lead to the bucket: one per top-level file or folder of the build. */
export function assetRoutes(assets: readonly PlannedAsset[]): string[] {
  return [...new Set(assets.map((asset) => `/${asset.key.split("/")[0]}`))].sort();
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
