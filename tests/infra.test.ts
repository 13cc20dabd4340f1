import { describe, expect, it } from "vitest";
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { build } from "esbuild";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dynamoArgs } from "../infra/table-args.ts";
import { bundledSitesFile, stageSites } from "../infra/load-stage-sites.ts";
import { secretEnvName, sstSecretName } from "../infra/secret-names.ts";
import { edgeInjection, edgeKey, viewerAddressFromEdge } from "../infra/viewer-ip.ts";
import { assetRoutes, immutableCache, planWidgetAssets, revalidatedCache } from "../infra/widget-assets.ts";
import { freshStore } from "./support/harness.ts";
import { fiftySites } from "./support/fifty-sites.ts";

const root = join(import.meta.dirname, "..");

/**
 * What `sst.aws.Dynamo` creates from its arguments, in `DescribeTable` terms — the same translation as the
 * component's own (`.sst/platform/src/components/aws/dynamo.ts`): attribute types S/N/B, on-demand billing,
 * "keys-only" → KEYS_ONLY and anything else → ALL, the stream type upper-cased, TTL enabled on `ttl`.
 */
function tableSstCreates(args: ReturnType<typeof dynamoArgs>) {
  const type = (t: string) => (t === "string" ? "S" : t === "number" ? "N" : "B");
  const keySchema = (hashKey: string, rangeKey?: string) => [
    { AttributeName: hashKey, KeyType: "HASH" },
    ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: "RANGE" }] : []),
  ];
  return {
    attributes: Object.entries(args.fields).map(([name, t]) => ({ AttributeName: name, AttributeType: type(t) })),
    keySchema: keySchema(args.primaryIndex.hashKey, args.primaryIndex.rangeKey),
    billing: "PAY_PER_REQUEST",
    indexes: Object.entries(args.globalIndexes).map(([name, index]) => ({
      IndexName: name,
      KeySchema: keySchema(index.hashKey, index.rangeKey),
      Projection: index.projection === "keys-only" ? "KEYS_ONLY" : "ALL",
    })),
    stream: args.stream.toUpperCase().replaceAll("-", "_"),
    ttl: args.ttl,
  };
}

const byName = <T extends { AttributeName?: string; IndexName?: string }>(list: T[]) =>
  [...list].sort((a, b) => String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)));

/** A project folder with a sites file for a stage. */
function projectWithSites(stage: string, sites: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "stage-sites-"));
  mkdirSync(join(dir, "sites"));
  writeFileSync(join(dir, "sites", `${stage}.json`), JSON.stringify(sites));
  return dir;
}

describe("the table on AWS", () => {
  it("has the same keys, indexes, stream and TTL as the table the local server creates", async () => {
    const { clients, tableName } = await freshStore();
    const described = (await clients.client.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
    const ttl = (await clients.client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
    const sst = tableSstCreates(dynamoArgs());

    expect(byName(described.AttributeDefinitions ?? [])).toEqual(byName(sst.attributes));
    expect(described.KeySchema).toEqual(sst.keySchema);
    expect(described.BillingModeSummary?.BillingMode ?? "PAY_PER_REQUEST").toBe(sst.billing);
    const localIndexes = (described.GlobalSecondaryIndexes ?? []).map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection?.ProjectionType,
    }));
    expect(byName(localIndexes)).toEqual(byName(sst.indexes));
    expect(described.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: sst.stream });
    expect(ttl).toMatchObject({ AttributeName: sst.ttl, TimeToLiveStatus: "ENABLED" });
  });
});

describe("handlers named in infra/", () => {
  const named = readdirSync(join(root, "infra"))
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => [...readFileSync(join(root, "infra", file), "utf8").matchAll(/handler:\s*"([^"]+)"/g)].map((m) => m[1]!));

  it("names the API and the notification handlers", () => {
    expect(named).toEqual(expect.arrayContaining(["functions/api.handler", "functions/notify.handler"]));
  });

  it.each(named)("%s is a file that exports that function", async (handler) => {
    const [module, exported] = [handler.slice(0, handler.lastIndexOf(".")), handler.slice(handler.lastIndexOf(".") + 1)];
    const file = join(root, `${module}.ts`);
    expect(existsSync(file)).toBe(true);
    // esbuild reads the module's exports the way SST's bundler will, without running it.
    const result = await build({ entryPoints: [file], bundle: false, write: false, metafile: true, format: "esm", outdir: "out", logLevel: "silent" });
    const exports = Object.values(result.metafile.outputs).flatMap((output) => output.exports);
    expect(exports).toContain(exported);
  });
});

describe("the sites of a stage, checked at deploy time", () => {
  const testCaptcha = { sites: [{ id: "demo", origins: ["https://news.example"], captcha: { provider: "test" } }] };

  it("fails the production deploy of a site that uses the test captcha provider", () => {
    const dir = projectWithSites("production", testCaptcha);
    expect(() => stageSites("production", { root: dir, env: {} })).toThrow('sites[0].captcha.provider: the "test" captcha provider is refused when STAGE=production');
  });

  it("lets another stage use the test captcha provider", () => {
    const dir = projectWithSites("staging", testCaptcha);
    expect(stageSites("staging", { root: dir, env: {} }).sites[0]?.captcha.provider).toBe("test");
  });

  it("accepts the example production file and names the captcha secret it needs", () => {
    const example = stageSites("production", { root, env: { SITES_FILE: "sites/production.example.json" } });
    expect(example.sites.map((site) => site.captcha.provider)).toEqual(["recaptcha-v3"]);
    expect(example.captchaSecrets).toEqual(["RECAPTCHA_SECRET"]);
    expect(JSON.parse(example.json)).toEqual(JSON.parse(readFileSync(join(root, "sites/production.example.json"), "utf8")));
  });

  it("fails when the stage has no sites file, saying where to put one", () => {
    const dir = mkdtempSync(join(tmpdir(), "stage-sites-"));
    expect(() => stageSites("production", { root: dir, env: {} })).toThrow('No sites configuration for stage "production": create sites/production.json');
  });

  it("fails on a field the schema does not know, naming it", () => {
    const dir = projectWithSites("production", { sites: [{ id: "news", origins: ["https://news.example"], captcha: { provider: "turnstile", secretEnv: "TURNSTILE_SECRET", treshold: 1 } }] });
    expect(() => stageSites("production", { root: dir, env: {} })).toThrow(/sites\[0\]\.captcha.*treshold/);
  });

  it("fails on a secretEnv name that cannot become an SST secret", () => {
    const dir = projectWithSites("production", { sites: [{ id: "news", origins: ["https://news.example"], captcha: { provider: "turnstile", secretEnv: "turnstile-secret" } }] });
    expect(() => stageSites("production", { root: dir, env: {} })).toThrow("captcha.secretEnv turnstile-secret: secret names on AWS must be upper-case words");
  });

  it("fails on a captcha timeout the API function could not wait for", () => {
    const dir = projectWithSites("production", { sites: [{ id: "news", origins: ["https://news.example"], captcha: { provider: "turnstile", secretEnv: "TURNSTILE_SECRET", timeoutMs: 30_000 } }] });
    expect(() => stageSites("production", { root: dir, env: {} })).toThrow("sites[0].captcha.timeoutMs must be at most");
    const slowChecks = projectWithSites("production", {
      sites: [
        {
          id: "news",
          origins: ["https://news.example"],
          captcha: { provider: "turnstile", secretEnv: "TURNSTILE_SECRET", timeoutMs: 8000 },
          moderation: { externalHook: { url: "https://hook.example/check", timeoutMs: 2000 }, toxicity: { provider: "comprehend", timeoutMs: 2000 } },
        },
      ],
    });
    expect(() => stageSites("production", { root: slowChecks, env: {} })).toThrow("may wait 12000 ms for captcha, external hook and toxicity check together");
  });

  it("accepts 50 fully configured sites, far past Lambda's 4 KB of environment, and ships the file as it is", () => {
    const dir = projectWithSites("staging", { sites: fiftySites() });
    const planned = stageSites("staging", { root: dir, env: {} });
    expect(planned.sites).toHaveLength(50);
    expect(Buffer.byteLength(planned.json)).toBeGreaterThan(4096 * 5);
    expect(planned.file).toBe(join("sites", "staging.json"));
    expect(bundledSitesFile).toBe("sites.json");
  });
});

describe("secret names", () => {
  it("maps environment-style names to SST secret names and back", () => {
    for (const [env, sst] of [
      ["RECAPTCHA_SECRET", "RecaptchaSecret"],
      ["IP_HASH_KEY", "IpHashKey"],
      ["WEBHOOK_SIGNING_KEY", "WebhookSigningKey"],
      ["NEWS2_TURNSTILE_SECRET", "News2TurnstileSecret"],
    ] as const) {
      expect(sstSecretName(env)).toBe(sst);
      expect(secretEnvName(sst)).toBe(env);
    }
  });
});

describe("the reader's address through the router", () => {
  const key = edgeKey("an-ip-hash-key-for-this-test");

  it("believes the router's address header only with the edge key", () => {
    expect(viewerAddressFromEdge({ key, address: "198.51.100.7" }, key)).toBe("198.51.100.7");
    expect(viewerAddressFromEdge({ key, address: "2001:db8::7" }, key)).toBe("2001:db8::7");
    expect(viewerAddressFromEdge({ key: `${key}x`, address: "198.51.100.7" }, key)).toBeUndefined();
    expect(viewerAddressFromEdge({ key: undefined, address: "198.51.100.7" }, key)).toBeUndefined();
    expect(viewerAddressFromEdge({ key, address: "198.51.100.7, 10.0.0.1" }, key)).toBeUndefined();
  });

  it("derives a different key from a different IP-hash key, and never contains it", () => {
    expect(edgeKey("another-ip-hash-key")).not.toBe(key);
    expect(key).not.toContain("an-ip-hash-key-for-this-test");
  });

  it("overwrites both headers at the edge with CloudFront's own values", () => {
    const code = edgeInjection(key);
    expect(code).toContain('event.request.headers["x-comments-viewer-ip"] = { value: event.viewer.ip };');
    expect(code).toContain(`event.request.headers["x-comments-edge-key"] = { value: "${key}" };`);
  });
});

describe("widget assets", () => {
  it("caches content-hashed files for a year and stable names briefly, serving pages without .html", () => {
    const dist = mkdtempSync(join(tmpdir(), "widget-dist-"));
    mkdirSync(join(dist, "assets"));
    for (const file of ["embed.js", "count.js", "moderate.html", "assets/review.3f9c2a1b.js"]) writeFileSync(join(dist, file), "x");
    const plan = planWidgetAssets(dist);
    expect(plan.map(({ key, contentType, cacheControl }) => ({ key, contentType, cacheControl }))).toEqual([
      { key: "assets/review.3f9c2a1b.js", contentType: "text/javascript; charset=utf-8", cacheControl: immutableCache },
      { key: "count.js", contentType: "text/javascript; charset=utf-8", cacheControl: revalidatedCache },
      { key: "embed.js", contentType: "text/javascript; charset=utf-8", cacheControl: revalidatedCache },
      { key: "moderate", contentType: "text/html; charset=utf-8", cacheControl: revalidatedCache },
    ]);
    expect(assetRoutes(plan)).toEqual(["/assets", "/count.js", "/embed.js", "/moderate"]);
  });
});
