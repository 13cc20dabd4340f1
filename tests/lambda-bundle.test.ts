import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildApiLambda, type LambdaBundle } from "../scripts/build-lambda.ts";
import { edgeKey, viewerIpHeaders } from "../infra/viewer-ip.ts";
import { bundledSitesFile } from "../infra/load-stage-sites.ts";
import { fiftySites } from "./support/fifty-sites.ts";
import { dynamoEndpoint, freshStore } from "./support/harness.ts";

/**
 * The deployable API bundle (built like `sst deploy` builds it) answering real Lambda function URL events
 * (payload format 2.0) against DynamoDB Local. It runs in a plain Node process, as on Lambda: links arrive
 * through SST's `SST_RESOURCE_*` variables, only the store endpoint is overridden.
 */

const ipHashKey = "bundle-test-ip-hash-key-0123456789abcdef";
const edgeIp = "64.252.64.10"; // what a function URL sees as sourceIp behind CloudFront

interface Invocation {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: unknown;
  sourceIp?: string;
}

interface LambdaResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** A function URL event (payload format 2.0), as Lambda delivers it. */
function functionUrlEvent(call: Invocation, index: number) {
  const host = "abcdefghijklmnop.lambda-url.eu-west-1.on.aws";
  const body = call.body === undefined ? null : JSON.stringify(call.body);
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: call.path,
    rawQueryString: call.query ?? "",
    headers: {
      host,
      "x-forwarded-proto": "https",
      "x-forwarded-port": "443",
      "x-amzn-trace-id": `Root=1-${index}`,
      "user-agent": "bundle-test",
      ...(body === null ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }),
      ...call.headers,
    },
    ...(call.query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(call.query)) } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "abcdefghijklmnop",
      domainName: host,
      domainPrefix: "abcdefghijklmnop",
      http: { method: call.method, path: call.path, protocol: "HTTP/1.1", sourceIp: call.sourceIp ?? "203.0.113.7", userAgent: "bundle-test" },
      requestId: `request-${index}`,
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

// Imports the bundle (its module scope is the cold start), then invokes its handler once per event, in order.
const runner = `
const [bundle, events] = [process.argv[1], JSON.parse(process.argv[2])];
const { handler } = await import(bundle);
const results = [];
for (const event of events) results.push(await handler(event, {}));
process.stdout.write(JSON.stringify(results));
`;

interface ColdStartOptions {
  sites: unknown[];
  stage?: string;
  /** Extra SST links, by SST name. */
  links?: Record<string, unknown>;
}

/**
 * A function directory as on AWS: the sites file shipped next to the code as `sites.json`, the process
 * started there (Lambda's working directory is the code's root), `SITES_FILE=sites.json` as infra/api.ts sets it.
 */
function taskRoot(sites: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), "lambda-task-"));
  writeFileSync(join(dir, bundledSitesFile), JSON.stringify({ sites }));
  return dir;
}

/** Cold-starts the bundle in a fresh Node process and sends it the events. */
function invoke(bundle: LambdaBundle, tableName: string, options: ColdStartOptions, calls: Invocation[]) {
  const link = (name: string, value: unknown) => [`SST_RESOURCE_${name}`, JSON.stringify(value)];
  const env = {
    PATH: process.env.PATH ?? "",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    DYNAMODB_ENDPOINT: dynamoEndpoint(),
    SITES_FILE: bundledSitesFile,
    STAGE: options.stage ?? "test",
    ...Object.fromEntries([
      link("App", { name: "comments", stage: options.stage ?? "test" }),
      link("CommentTable", { type: "sst.sst.Linkable", name: tableName }),
      link("IpHashKey", { type: "sst.sst.Secret", value: ipHashKey }),
      link("WebhookSigningKey", { type: "sst.sst.Secret", value: "bundle-test-webhook-signing-key-0123456789" }),
      ...Object.entries(options.links ?? {}).map(([name, value]) => link(name, value)),
    ]),
  };
  const events = JSON.stringify(calls.map(functionUrlEvent));
  return new Promise<{ code: number; results: LambdaResult[]; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", runner, pathToFileURL(bundle.file).href, events],
      { env, cwd: taskRoot(options.sites), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, results: code === 0 ? (JSON.parse(stdout) as LambdaResult[]) : [], stderr });
      },
    );
  });
}

const json = (result: LambdaResult | undefined) => JSON.parse(result?.body ?? "null") as Record<string, any>;
const site = (overrides: Record<string, unknown> = {}) => ({ id: "demo", origins: ["https://news.example"], captcha: { provider: "test" }, ...overrides });
const comment = (body: string) => ({ author: { name: "Ann Reader" }, body, captchaToken: "test:0.9" });

let outDir: string;
let bundle: LambdaBundle;
let tableName: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "lambda-bundle-"));
  bundle = await buildApiLambda(outDir);
  ({ tableName } = await freshStore());
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

// Each test cold-starts fresh Node processes on the 1 MB bundle: slow on a busy machine, so a generous limit.
describe("the built API bundle on a function URL event", { timeout: 180_000 }, () => {
  it("posts a comment, reads it back in the thread, and answers an unknown route with JSON 404", async () => {
    const thread = "/v1/sites/demo/threads/bundle%2Farticle-1/comments";
    const run = await invoke(bundle, tableName, { sites: [site()] }, [
      { method: "POST", path: thread, body: comment("Posted through the Lambda bundle.") },
      { method: "GET", path: thread, query: "limit=10" },
      { method: "GET", path: "/v1/nowhere" },
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [posted, read, unknown] = run.results;

    expect(posted?.statusCode).toBe(201);
    const created = json(posted).comment;
    expect(created).toMatchObject({ status: "published", threadId: "bundle/article-1", author: { name: "Ann Reader" } });

    expect(read?.statusCode).toBe(200);
    expect(json(read)).toMatchObject({
      thread: { siteId: "demo", threadId: "bundle/article-1", commentCount: 1, closed: false, url: null, title: null },
      comments: [{ id: created.id, bodyHtml: expect.stringContaining("Posted through the Lambda bundle.") }],
    });
    // What the CloudFront router caches by: a short shared-cache lifetime on thread reads.
    expect(read?.headers["cache-control"]).toMatch(/s-maxage=\d+/);

    expect(unknown?.statusCode).toBe(404);
    expect(unknown?.headers["content-type"]).toMatch(/application\/json/);
    expect(json(unknown)).toMatchObject({ error: { code: "not_found" } });
  });

  it("counts readers by the address the router vouches for, and ignores that header without the edge key", async () => {
    const limited = site({ id: "strict", rateLimit: { perMinute: 1, perHour: 1 } });
    const path = "/v1/sites/strict/threads/rate/comments";
    const viaRouter = (viewer: string) => ({ [viewerIpHeaders.key]: edgeKey(ipHashKey), [viewerIpHeaders.address]: viewer });
    const forged = (viewer: string) => ({ [viewerIpHeaders.key]: "guessed-key", [viewerIpHeaders.address]: viewer });
    const run = await invoke(bundle, tableName, { sites: [limited] }, [
      { method: "POST", path, body: comment("first reader"), sourceIp: edgeIp, headers: viaRouter("198.51.100.1") },
      { method: "POST", path, body: comment("first reader again"), sourceIp: edgeIp, headers: viaRouter("198.51.100.1") },
      { method: "POST", path, body: comment("second reader, same edge"), sourceIp: edgeIp, headers: viaRouter("198.51.100.2") },
      { method: "POST", path, body: comment("direct caller"), sourceIp: "203.0.113.50", headers: forged("198.51.100.3") },
      { method: "POST", path, body: comment("direct caller, new disguise"), sourceIp: "203.0.113.50", headers: forged("198.51.100.4") },
    ]);
    expect(run.code).toBe(0);
    expect(run.results.map((result) => result.statusCode)).toEqual([201, 429, 201, 201, 429]);
    expect(json(run.results[1])).toMatchObject({ error: { code: "rate_limited" } });
  });

  it("gives captcha secrets linked as SST secrets to the sites that name them", async () => {
    const turnstile = site({ id: "news", captcha: { provider: "turnstile", siteKey: "0x4AAAAAAA", secretEnv: "TURNSTILE_SECRET" } });
    const linked = await invoke(bundle, tableName, { sites: [turnstile], links: { TurnstileSecret: { type: "sst.sst.Secret", value: "0x4AAAAAAA-secret" } } }, [
      { method: "GET", path: "/v1/sites/news/config" },
    ]);
    expect(linked.stderr).toBe("");
    expect(linked.code).toBe(0);
    expect(json(linked.results[0])).toMatchObject({ siteId: "news", captcha: { provider: "turnstile", siteKey: "0x4AAAAAAA" } });

    const unlinked = await invoke(bundle, tableName, { sites: [turnstile] }, [{ method: "GET", path: "/v1/sites/news/config" }]);
    expect(unlinked.code).not.toBe(0);
    expect(unlinked.stderr).toContain("sites[0].captcha.secretEnv: environment variable TURNSTILE_SECRET is not set");
  });

  it("starts with a 50-site file shipped next to the code and serves the last site's configuration", async () => {
    const run = await invoke(bundle, tableName, { sites: fiftySites() }, [
      { method: "GET", path: "/v1/sites/site-49/config" },
      { method: "GET", path: "/v1/sites/site-0/config" },
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.results.map((result) => result.statusCode)).toEqual([200, 200]);
    expect(json(run.results[0])).toMatchObject({ siteId: "site-49" });
  });

  it("refuses to start in production with the test captcha provider", async () => {
    const run = await invoke(bundle, tableName, { sites: [site()], stage: "production" }, [{ method: "GET", path: "/healthz" }]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('sites[0].captcha.provider: the "test" captcha provider is refused when STAGE=production');
  });
});
