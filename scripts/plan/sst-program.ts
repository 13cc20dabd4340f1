import { build, type Plugin } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Builds `sst.config.ts` into one runnable module the way the SST CLI does before `sst deploy`
 * (sst/sst `pkg/project/stack.go` and `pkg/js/js.go`): esbuild bundles the config and everything it imports,
 * injects the platform's globals (`$config`, `$interpolate`, `$util`, … from `.sst/platform/src/shim/run.js`),
 * prepends `import * as aws from "@pulumi/aws"` and `import * as sst from ".sst/platform/src/components"`
 * to every project file, keeps `@pulumi/*` and the AWS SDK external, and wraps the config's `run()` in the
 * platform's own `run` (`.sst/platform/src/auto/run.ts`: stack transformations for retain/tags, then the program).
 *
 * Two differences, both for planning: `$app` is defined as `globalThis.__sstPlanApp` (the CLI inlines the
 * same JSON; here it is set after the config's `app()` ran), and the module exports a function instead of
 * running at import, so the caller can start it inside Pulumi's mock runtime.
 */
export interface SstProgram {
  /** The bundled module (inside `.sst/platform`, so `@pulumi/*` resolve to the platform's copies). */
  file: string;
}

/** What the CLI passes as `$cli` (see `stack.go`). */
export function cliGlobal(root: string) {
  return {
    command: "deploy",
    dev: false,
    paths: { home: join(root, ".sst/plan-home"), root, work: join(root, ".sst"), platform: join(root, ".sst/platform") },
    state: { version: {} },
  };
}

/** Provider imports the CLI prepends to every project file (from `.sst/provider-lock.json`, written by `sst install`). */
function providerGlobals(root: string): string {
  const lock = JSON.parse(readFileSync(join(root, ".sst/provider-lock.json"), "utf8")) as { package: string; alias: string }[];
  return [
    ...lock.map((entry) => `import * as ${entry.alias} from "${entry.package}";`),
    `import * as sst from "${join(root, ".sst/platform/src/components")}";`,
  ].join("\n");
}

/** The CLI's `InjectGlobals` esbuild plugin: every file outside `.sst` gets the provider imports first. */
function injectGlobals(globals: string): Plugin {
  return {
    name: "InjectGlobals",
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
        const contents = readFileSync(args.path, "utf8");
        return { contents: args.path.includes(".sst") ? contents : `${globals}\n${contents}`, loader: "default" };
      });
    },
  };
}

/**
 * Bundles `<root>/sst.config.ts` into `<root>/.sst/platform/<outName>` and returns its path.
 * @example const { file } = await buildSstProgram(process.cwd(), "sst.config.plan.mjs");
 */
export async function buildSstProgram(root: string, outName: string): Promise<SstProgram> {
  const platform = join(root, ".sst/platform");
  const file = join(platform, outName);
  await build({
    stdin: {
      contents: [
        `import { run } from "${join(platform, "src/auto/run.ts")}";`,
        `import mod from "${join(root, "sst.config.ts")}";`,
        `export const config = mod;`,
        `export function program() { return run(mod.run); }`,
      ].join("\n"),
      resolveDir: root,
      sourcefile: "eval.ts",
      loader: "ts",
    },
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __filename = topLevelFileUrlToPath(import.meta.url)`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
      ].join("\n"),
    },
    mainFields: ["module", "main"],
    format: "esm",
    platform: "node",
    nodePaths: [join(platform, "node_modules")],
    plugins: [injectGlobals(providerGlobals(root))],
    external: ["@pulumi/*", "undici", "@pulumiverse/*", "@sst-provider/*", "@aws-sdk/*", "esbuild", "archiver", "glob", "vite"],
    define: { $app: "globalThis.__sstPlanApp", $cli: JSON.stringify(cliGlobal(root)), $dev: "false" },
    inject: [join(platform, "src/shim/run.js")],
    outfile: file,
    write: true,
    bundle: true,
    logLevel: "warning",
  });
  return { file };
}
