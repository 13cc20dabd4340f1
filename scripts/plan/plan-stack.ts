import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stageSites } from "../../infra/load-stage-sites.ts";
import { requiredSecrets, sstSecretName } from "../../infra/secret-names.ts";
import { startCliStandIn, type FunctionBuild } from "./cli-stand-in.ts";
import { recordingMocks, unwrapSecrets, type PlannedInvoke, type PlannedResource } from "./mocks.ts";
import { buildSstProgram } from "./sst-program.ts";

/** Everything one stage's deploy would create, as recorded under Pulumi's mock runtime. */
export interface StackPlan {
  app: { name: string; stage: string; removal: string; protect: boolean; home: string; providers: Record<string, unknown> };
  /** SST platform version that ran the program. */
  sstVersion: string;
  resources: PlannedResource[];
  invokes: PlannedInvoke[];
  /** The functions the CLI stand-in built (handler, built file, sealed links). */
  builds: FunctionBuild[];
  /** The stack's outputs. */
  outputs: Record<string, unknown>;
  /** Values given to the stage's secrets for the plan; they must appear nowhere in plain text. */
  secretValues: Record<string, string>;
}

/** The part of `@pulumi/pulumi` (the platform's copy, not a dependency of ours) the plan uses. */
interface PulumiRuntime {
  runtime: {
    setMocks(mocks: ReturnType<typeof recordingMocks>["mocks"], project: string, stack: string, preview: boolean): Promise<void>;
    runInPulumiStack(init: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown> | undefined>;
    disconnect(): Promise<void>;
  };
}

/** The value a secret gets while planning: recognisable, and never a real key. */
export const planSecretValue = (name: string) => `plan-only-secret-value-of-${name}`;

/** The config's `app()` result the way the CLI normalises it (`pkg/project/project.go`). */
function normaliseApp(raw: Record<string, unknown>, stage: string): StackPlan["app"] {
  const providers: Record<string, unknown> = {};
  for (const [name, args] of Object.entries((raw.providers as Record<string, unknown>) ?? {})) {
    providers[name] = typeof args === "string" ? { version: args } : args === true ? {} : args;
  }
  return {
    name: String(raw.name),
    stage,
    removal: typeof raw.removal === "string" ? raw.removal : "retain",
    protect: Boolean(raw.protect),
    home: String(raw.home),
    providers,
  };
}

/**
 * SST gives physical names a random 8-letter suffix on creation (`comments-production-TableTable-nxkxmxdt`;
 * state keeps it afterwards). The plan writes `xxxxxxxx` instead, so the same program plans the same text.
 */
function withStableNames(plan: StackPlan): StackPlan {
  const suffixes = new Set<string>();
  for (const resource of plan.resources) {
    for (const key of ["name", "bucket", "configurationSetName", "targetId"]) {
      const match = /-([a-z]{8})$/.exec(String(resource.inputs[key] ?? ""));
      if (match) suffixes.add(match[1]!);
    }
  }
  if (suffixes.size === 0) return plan;
  const pattern = new RegExp(`-(?:${[...suffixes].join("|")})(?![a-z])`, "g");
  return JSON.parse(JSON.stringify(plan), (_key, value: unknown) => (typeof value === "string" ? value.replace(pattern, "-xxxxxxxx") : value)) as StackPlan;
}

/**
 * Runs `<root>/sst.config.ts` for `stage` under Pulumi's mock runtime with SST's own components (from
 * `.sst/platform`, written by `npx sst install`) and returns what it would create. One plan per process:
 * Pulumi's runtime settings are global.
 * @example const plan = await planStack({ root: process.cwd(), stage: "production", env: { SITES_FILE: "sites/production.example.json" } });
 */
export async function planStack(options: { root: string; stage: string; env?: Record<string, string> }): Promise<StackPlan> {
  const { root, stage } = options;
  const platform = join(root, ".sst/platform");
  if (!existsSync(join(platform, "src/components"))) {
    throw new Error(`No SST platform at ${platform}: run \`npx sst install\` first (scripts/check-infra.sh does).`);
  }
  Object.assign(process.env, options.env ?? {}, { SST_STAGE: stage });

  // The values `sst secret set` would hold: every secret the stage names (the same rule infra/secrets.ts uses).
  const sites = stageSites(stage, { root });
  const secretNames = [...Object.values(requiredSecrets), ...sites.captchaSecrets].map(sstSecretName);
  const secretValues = Object.fromEntries(secretNames.map((name) => [name, planSecretValue(name)]));
  for (const [name, value] of Object.entries(secretValues)) process.env[`SST_SECRET_${name}`] = value;

  const cli = await startCliStandIn(root);
  process.env.SST_SERVER = cli.url;
  const { file } = await buildSstProgram(root, `sst.config.plan.${process.pid}.mjs`);
  try {
    const program = (await import(pathToFileURL(file).href)) as { config: { app(input: { stage: string }): Record<string, unknown> }; program(): Promise<Record<string, unknown>> };
    const app = normaliseApp(program.config.app({ stage }), stage);
    (globalThis as { __sstPlanApp?: unknown }).__sstPlanApp = app;

    const pulumi = createRequire(join(platform, "package.json"))("@pulumi/pulumi") as PulumiRuntime;
    const { mocks, resources, invokes } = recordingMocks();
    await pulumi.runtime.setMocks(mocks, app.name, stage, false);
    const outputs = await pulumi.runtime.runInPulumiStack(() => program.program());
    await pulumi.runtime.disconnect();
    const sstVersion = readFileSync(join(platform, "version"), "utf8").trim();
    const plan = { app, sstVersion, resources, invokes, builds: cli.builds, outputs: unwrapSecrets(outputs ?? {}) as Record<string, unknown>, secretValues };
    return withStableNames(plan);
  } finally {
    rmSync(file, { force: true });
    await cli.close();
  }
}
