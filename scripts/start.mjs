/**
 * `npm start`: runs the local server (packages/local/src/main.ts) from its prebuilt bundle, rebuilding the bundle
 * first when the sources changed since it was built, so a start always runs the current sources without paying
 * for TypeScript compilation at start. Plain JavaScript: nothing but Node runs before the bundle.
 *
 * `LOCAL_BUNDLE_DIR` puts the bundle elsewhere than dist/local (tests build into a folder of their own).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defaultBundlesDir, ensureLocalBundle } from "./local-bundle.mjs";

const bundlesDir = process.env.LOCAL_BUNDLE_DIR ? resolve(process.env.LOCAL_BUNDLE_DIR) : defaultBundlesDir;
let main;
try {
  main = await ensureLocalBundle({ bundlesDir, log: (line) => console.error(line) });
} catch (error) {
  // A failed esbuild build has printed each error with its place (`errors`); anything else is said here.
  console.error(`Could not start: the local server could not be built${error.errors ? "." : `: ${error.message}`}`);
  process.exit(1);
}
await import(pathToFileURL(main).href);
