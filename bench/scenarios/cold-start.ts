import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { benchSite, benchSiteId } from "../support/environment.ts";
import { seedThread } from "../support/seed.ts";
import { median, round } from "../support/stats.ts";
import type { ScenarioContext } from "./context.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const buildScript = join(root, "scripts/build-lambda.ts");
/** Where `npm run build:lambda` writes the API function. */
export const lambdaBundlePath = join(root, "dist/lambda/api/index.mjs");
const probe = fileURLToPath(new URL("../cold-start/probe.mjs", import.meta.url));

/** Builds the API bundle into a scratch folder with the deploy's esbuild options, or falls back to the built file. */
async function bundle(): Promise<{ file: string; cleanup: () => void } | null> {
  if (existsSync(buildScript)) {
    const { buildApiLambda } = (await import(pathToFileURL(buildScript).href)) as { buildApiLambda: (outDir?: string) => Promise<{ file: string }> };
    const dir = mkdtempSync(join(tmpdir(), "bench-lambda-"));
    const { file } = await buildApiLambda(dir);
    return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  return existsSync(lambdaBundlePath) ? { file: lambdaBundlePath, cleanup: () => undefined } : null;
}

/** A Lambda function URL event (payload 2.0) for the first page of a thread. */
function threadPageEvent(threadId: string, limit: number) {
  const rawPath = `/v1/sites/${benchSiteId}/threads/${encodeURIComponent(threadId)}/comments`;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: `limit=${limit}`,
    headers: { host: "api.example", "user-agent": "bench" },
    queryStringParameters: { limit: String(limit) },
    isBase64Encoded: false,
    requestContext: {
      accountId: "anonymous",
      apiId: "bench",
      domainName: "api.example",
      domainPrefix: "api",
      requestId: "bench",
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      http: { method: "GET", path: rawPath, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "bench" },
    },
  };
}

/** What one fresh process reported (ms since its start) and how long it took from spawn to exit. */
interface ProbeRun {
  wallMs: number;
  nodeStartMs: number;
  importMs: number;
  firstEventMs: number;
  totalMs: number;
  /** CPU time of the process from its start to the answer. */
  cpuMs: number;
  statusCode: number;
}

function runProbe(file: string, event: unknown, env: Record<string, string>) {
  return new Promise<ProbeRun>(
    (resolve, reject) => {
      const started = performance.now();
      execFile(process.execPath, [probe, file, JSON.stringify(event)], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const wallMs = performance.now() - started;
        if (error) return reject(new Error(`cold start probe failed: ${stderr || error.message}`));
        resolve({ wallMs, ...JSON.parse(stdout) });
      });
    },
  );
}

/**
 * Scenario 5: the API Lambda bundle's size, and how long a fresh Node process takes to import it and answer
 * its first event (a thread page read against DynamoDB Local), median of several processes.
 */
export async function coldStartScenario(ctx: ScenarioContext) {
  let built: Awaited<ReturnType<typeof bundle>>;
  try {
    built = await bundle();
  } catch (error) {
    return { status: "not built" as const, reason: `the API bundle did not build: ${(error as Error).message.split("\n")[0]}` };
  }
  if (!built) return { status: "not built" as const, reason: `${lambdaBundlePath} does not exist (npm run build:lambda)` };
  try {
    const contents = readFileSync(built.file);
    const threadId = "cold-start";
    await seedThread(ctx.env.clients.documentClient, ctx.env.server.tableName, benchSiteId, threadId, ctx.config.threadSize);
    // What the function sees on AWS: SST links as SST_RESOURCE_* variables, the sites as SITES_JSON.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      DYNAMODB_ENDPOINT: ctx.env.endpoint,
      TABLE_NAME: ctx.env.server.tableName,
      SITES_JSON: JSON.stringify({ sites: [benchSite] }),
      SST_RESOURCE_App: JSON.stringify({ name: "comments", stage: "bench" }),
      SST_RESOURCE_CommentTable: JSON.stringify({ name: ctx.env.server.tableName }),
      SST_RESOURCE_IpHashKey: JSON.stringify({ value: "bench-ip-hash-key-0123456789", type: "sst.sst.Secret" }),
    };
    const event = threadPageEvent(threadId, ctx.config.pageSize);
    ctx.log(`cold start: ${ctx.config.coldStarts} fresh processes`);
    const runs: ProbeRun[] = [];
    for (let i = 0; i < ctx.config.coldStarts; i++) {
      const run = await runProbe(built.file, event, env);
      if (run.statusCode !== 200) throw new Error(`cold start: the first event answered ${run.statusCode}`);
      runs.push(run);
    }
    const med = (pick: (r: ProbeRun) => number) => round(median(runs.map(pick)), 1);
    return {
      status: "measured" as const,
      bundleBytes: contents.byteLength,
      bundleGzipBytes: gzipSync(contents).byteLength,
      processes: runs.length,
      nodeStartMs: med((r) => r.nodeStartMs),
      importMs: med((r) => r.importMs),
      firstEventMs: med((r) => r.firstEventMs),
      totalMs: med((r) => r.totalMs),
      cpuMs: med((r) => r.cpuMs),
      wallMs: med((r) => r.wallMs),
    };
  } finally {
    built.cleanup();
  }
}
