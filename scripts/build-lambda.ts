import { build, type BuildOptions } from "esbuild";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { lazyDependencies } from "../infra/lambda-dependencies.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * esbuild options matching what `sst deploy` uses for a `nodejs22.x` function (SST's Node runtime builder):
 * one ESM file, minified, platform node, target es2023 (SST's mapping for nodejs22.x), names kept, the
 * `require`/`__dirname` shim banner, `sharp` and `pg-native` external. The AWS SDK is bundled, like SST does:
 * the version we test is the version that runs, instead of whatever the Lambda runtime ships that month; only the
 * {@link lazyDependencies} stay outside the bundle (the deploy installs them beside it, `nodejs.install`).
 */
export const sstLikeOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "es2023",
  minify: true,
  keepNames: true,
  mainFields: ["module", "main"],
  external: ["sharp", "pg-native", ...lazyDependencies],
  sourcemap: false,
  legalComments: "none",
  banner: {
    js: [
      `import { createRequire as topLevelCreateRequire } from 'module';`,
      `const require = topLevelCreateRequire(import.meta.url);`,
      `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
      `const __filename = topLevelFileUrlToPath(import.meta.url)`,
      `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
    ].join("\n"),
  },
};

/** A built function bundle. */
export interface LambdaBundle {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles `functions/api.ts` into `dist/lambda/api/index.mjs` (or `outDir`) the way SST does for the deploy.
 * @example const { file, bytes } = await buildApiLambda();
 */
export async function buildApiLambda(outDir = join(root, "dist/lambda/api")): Promise<LambdaBundle> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "index.mjs");
  await build({ ...sstLikeOptions, entryPoints: [join(root, "functions/api.ts")], outfile: file, logLevel: "warning" });
  const contents = readFileSync(file);
  return { file, bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const bundle = await buildApiLambda();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${bundle.file.slice(root.length + 1)}: ${kb(bundle.bytes)} (${kb(bundle.gzipBytes)} gzipped)`);
}
