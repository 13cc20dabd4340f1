import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";

/** A built browser asset. */
export interface Asset {
  /** File name as served, e.g. `embed.js`. */
  name: string;
  contents: string;
  contentType: string;
  /** Short content hash, for long-cached URLs and ETags. */
  hash: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles one browser entry point (TypeScript) into a minified ES2020 IIFE, in memory. `define` sets the
 * build constants (see build-constants.d.ts) as string literals.
 */
export async function bundleBrowserEntry(entry: string, name: string, define: Record<string, string> = {}): Promise<Asset> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    write: false,
    legalComments: "none",
    charset: "utf8",
    define: Object.fromEntries(Object.entries(define).map(([key, value]) => [key, JSON.stringify(value)])),
  });
  const contents = result.outputFiles[0]!.text;
  return describeAsset(name, contents, "text/javascript; charset=utf-8");
}

/** Wraps text as an {@link Asset} with its sizes and hash. */
export function describeAsset(name: string, contents: string, contentType: string): Asset {
  const buffer = Buffer.from(contents, "utf8");
  return {
    name,
    contents,
    contentType,
    hash: createHash("sha256").update(buffer).digest("hex").slice(0, 12),
    bytes: buffer.byteLength,
    gzipBytes: gzipSync(buffer, { level: 9 }).byteLength,
  };
}
