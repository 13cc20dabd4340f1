import { build } from "esbuild";
import { createCipheriv } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, extname, join, relative } from "node:path";

/**
 * Stands in for the part of the SST CLI that SST's components call over JSON-RPC while a program runs
 * (`SST_SERVER`, see `.sst/platform/src/components/rpc/rpc.ts`). A deploy needs two of its methods:
 *
 * - `Provider.Aws.Bootstrap`: the names of SST's per-account asset bucket and state. Here: fixed plan names.
 * - `Runtime.Build`: bundles a Node function. Here: the same esbuild options as the CLI's Node runtime
 *   (sst/sst `pkg/runtime/node/build.go`: ESM `.mjs`, platform node, target esnext, keepNames, the
 *   `createRequire` banner, `sharp`/`pg-native` external, minify and source maps as the function asks), and the
 *   links sealed into `resource.enc` with the function's key as the CLI does (`pkg/runtime/runtime.go`:
 *   AES-256-GCM, zero nonce), so the built directory is what would be zipped and uploaded.
 *
 * Every other method answers "can't find", as the CLI does for unknown methods. Listens on loopback only.
 */
export interface CliStandIn {
  url: string;
  /** Every function built, in order: what the plan's bundle checks read. */
  builds: FunctionBuild[];
  close(): Promise<void>;
}

/** One function as the stand-in built it. */
export interface FunctionBuild {
  functionID: string;
  /** The handler as Lambda is configured with it (`functions/api.handler`). */
  handler: string;
  /** The directory that is zipped (relative to the project root). */
  out: string;
  /** The built handler file (relative to the project root). */
  file: string;
  /** Names of the linked resources sealed into `resource.enc`. */
  links: string[];
  runtime: string;
  architecture: string;
}

interface BuildInput {
  functionID: string;
  handler: string;
  bundle?: string;
  runtime: string;
  encryptionKey?: string;
  links?: Record<string, unknown>;
  properties?: { format?: string; minify?: boolean; sourcemap?: boolean; banner?: string; architecture?: string; install?: string[] | Record<string, string>; esbuild?: { external?: string[] } };
}

/** The package names of a function's `nodejs.install`, given as a list or as a name → version map. */
const installedNames = (install: string[] | Record<string, string> | undefined): string[] => (Array.isArray(install) ? install : Object.keys(install ?? {}));

const handlerExtensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

async function buildFunction(root: string, input: BuildInput): Promise<{ result: { handler: string; out: string; errors: string[]; sourcemaps: string[] }; record: FunctionBuild }> {
  if (input.bundle) throw new Error(`${input.functionID}: prebuilt bundles are not planned here`);
  const properties = input.properties ?? {};
  const base = input.handler.slice(0, input.handler.lastIndexOf("."));
  const exported = input.handler.slice(input.handler.lastIndexOf("."));
  const source = handlerExtensions.map((extension) => join(root, base + extension)).find((file) => existsSync(file));
  if (!source) throw new Error(`Handler not found: ${input.handler}`);
  const cjs = properties.format === "cjs";
  const rel = relative(root, source);
  // Lambda handlers allow one dot, between file and export.
  const fileName = basename(rel, extname(rel)).replaceAll(".", "-");
  const modulePath = join(dirname(rel), fileName);
  const out = join(root, ".sst/artifacts", `${input.functionID}-src`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const target = join(out, modulePath + (cjs ? ".cjs" : ".mjs"));
  const banner = [
    `import { createRequire as topLevelCreateRequire } from 'module';`,
    `const require = topLevelCreateRequire(import.meta.url);`,
    `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
    `const __filename = topLevelFileUrlToPath(import.meta.url)`,
    `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
    properties.banner ?? "",
  ].join("\n");
  const built = await build({
    entryPoints: [source],
    platform: "node",
    // SST passes `install` on as a name → version map (a list becomes versions "*"); either way the names stay external.
    external: ["sharp", "pg-native", ...installedNames(properties.install), ...(properties.esbuild?.external ?? [])],
    keepNames: true,
    bundle: true,
    outfile: target,
    sourcemap: properties.sourcemap ? "linked" : false,
    format: cjs ? "cjs" : "esm",
    target: "esnext",
    mainFields: cjs ? ["main"] : ["module", "main"],
    banner: { js: cjs ? (properties.banner ?? "") : banner },
    minify: Boolean(properties.minify),
    logLevel: "silent",
  });
  const errors = built.errors.map((error) => error.text);
  const links = withEngineTypes(input.links ?? {});
  if (input.encryptionKey) {
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(input.encryptionKey, "base64"), Buffer.alloc(12));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(links)), cipher.final(), cipher.getAuthTag()]);
    writeFileSync(join(out, "resource.enc"), sealed);
  }
  const handler = modulePath + exported;
  return {
    result: { handler, out, errors, sourcemaps: [] },
    record: {
      functionID: input.functionID,
      handler,
      out: relative(root, out),
      file: relative(root, target),
      links: Object.keys(links).sort(),
      runtime: input.runtime,
      architecture: properties.architecture ?? "x86_64",
    },
  };
}

/**
 * SST reads a link's `type` from its resource's URN. Pulumi's mock monitor puts the root stack into every URN's
 * type chain (`pulumi:pulumi:Stack$sst:sst:Secret`); the engine of a real deploy does not (`sst:sst:Secret`).
 * Sealed links get the engine's form, so the built code sees what it sees on AWS.
 */
function withEngineTypes(links: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(links).map(([name, link]) => {
      const type = (link as { type?: unknown })?.type;
      return [name, typeof type === "string" ? { ...(link as object), type: type.replace(/^pulumi\.pulumi\.Stack\$/, "") } : link];
    }),
  );
}

/** Plan names for SST's bootstrap resources (a real deploy reads them from the account). */
const bootstrap = (region: string) => ({
  asset: `sst-asset-plan-${region}`,
  assetEcrRegistryId: "123456789012",
  assetEcrUrl: `123456789012.dkr.ecr.${region}.amazonaws.com/sst-asset`,
  state: `sst-state-plan-${region}`,
  appsyncHttp: "",
  appsyncRealtime: "",
});

/**
 * Starts the stand-in on 127.0.0.1 (a free port). Set `SST_SERVER` to its `url` before the program runs.
 * @example const cli = await startCliStandIn(root); process.env.SST_SERVER = cli.url;
 */
export async function startCliStandIn(root: string): Promise<CliStandIn> {
  const builds: FunctionBuild[] = [];
  const handle = async (method: string, params: unknown): Promise<unknown> => {
    if (method === "Provider.Aws.Bootstrap") return bootstrap((params as { region: string }).region);
    if (method === "Runtime.Build") {
      const { result, record } = await buildFunction(root, params as BuildInput);
      builds.push(record);
      return result;
    }
    throw new Error(`rpc: can't find method ${method}`);
  };
  // No server-side timeouts: a build may take minutes on a busy machine, and closing an idle keep-alive socket
  // while the client reuses it (Node's default agent keeps them alive) would reset the next call.
  const server: Server = createServer({ requestTimeout: 0, headersTimeout: 0, keepAliveTimeout: 0 }, (request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
      handle(method, params[0]).then(
        (result) => response.end(JSON.stringify({ result, error: null })),
        (error: Error) => response.end(JSON.stringify({ result: null, error: error.message })),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    builds,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
