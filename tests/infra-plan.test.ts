import { beforeAll, describe, expect, it } from "vitest";
import { createDecipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { queuePartition } from "../packages/store/src/entities/comment.ts";
import { tableDefinition } from "../packages/store/src/table.ts";
import { apiTableActions } from "../infra/table-access.ts";
import { bundledSitesFile } from "../infra/load-stage-sites.ts";
import {
  builtHandlerProblems,
  codeZipProblems,
  environmentProblems,
  eventSources,
  grants,
  iamProblems,
  lambdaFor,
  routerProblems,
  secretProblems,
  sourceFacts,
  streamConsumerProblems,
  tableAccessProblems,
  tableProblems,
  type SourceFacts,
} from "../scripts/plan/checks.ts";
import { bucketPaths, plannedFunctions } from "../scripts/plan/plan-problems.ts";
import { planRoutes } from "../scripts/plan/routes.ts";
import type { StackPlan } from "../scripts/plan/plan-stack.ts";
import { currentPlan, root } from "./support/deploy-plan.ts";

/**
 * The deploy plan: sst.config.ts and infra/ run by SST's own components under Pulumi's mock runtime
 * (`npm run plan:infra`), every resource recorded with its inputs. These tests read that plan as a reviewer
 * would, and check each rule also on a mutated copy of the plan, so a rule that could never fail is caught.
 */

let plan: StackPlan;
let api: SourceFacts;
let notify: SourceFacts;

beforeAll(async () => {
  plan = await currentPlan();
  api = await sourceFacts(root, plannedFunctions.api.source);
  notify = await sourceFacts(root, plannedFunctions.notify.source);
  // Generous: a fresh plan loads SST's platform and the AWS provider, minutes on a busy machine.
}, 900_000);

/** A deep copy of the plan to break one thing in. */
const copy = (): StackPlan => structuredClone(plan);
const named = (p: StackPlan, name: string) => p.resources.find((resource) => resource.name === name)!;
const apiFunction = (p: StackPlan) => lambdaFor(p, plannedFunctions.api.handler)!.resource;
const types = () => plan.resources.filter((r) => r.custom).map((r) => r.type);

describe("what a first deploy creates", () => {
  it("is planned by SST's real components: the table, the functions with roles, the router, the widget bucket", () => {
    expect(plan.sstVersion).toMatch(/^\d+\.\d+\.\d+$/);
    for (const type of [
      "aws:dynamodb/table:Table",
      "aws:iam/role:Role",
      "aws:lambda/functionUrl:FunctionUrl",
      "aws:lambda/eventSourceMapping:EventSourceMapping",
      "aws:cloudfront/distribution:Distribution",
      "aws:cloudfront/cachePolicy:CachePolicy",
      "aws:s3/bucket:Bucket",
    ]) {
      expect(types()).toContain(type);
    }
    // The API, the moderator notifier, and the three mail handlers (tests/infra-plan-mail.test.ts).
    expect(types().filter((type) => type === "aws:lambda/function:Function")).toHaveLength(5);
    expect(plan.app).toMatchObject({ stage: "production", removal: "retain", protect: true });
  });
});

describe("the table", () => {
  it("has the keys, indexes, TTL and stream of packages/store/src/table.ts", () => {
    expect(tableProblems(plan, tableDefinition)).toEqual([]);
    expect(named(plan, "TableTable").inputs).toMatchObject({ deletionProtectionEnabled: true, pointInTimeRecovery: { enabled: true } });
  });

  it("is reported when it drifts from table.ts (an index dropped, the stream or TTL changed)", () => {
    const drifted = copy();
    const table = named(drifted, "TableTable").inputs as Record<string, any>;
    table.globalSecondaryIndexes = table.globalSecondaryIndexes.slice(0, 1);
    table.streamViewType = "KEYS_ONLY";
    table.ttl = { enabled: false };
    expect(tableProblems(drifted, tableDefinition)).toEqual([
      expect.stringMatching(/^table indexes gsi1:.* differ from table\.ts gsi1:.*, gsi2:/),
      "table TTL off differs from table.ts ttl",
      "table stream KEYS_ONLY differs from table.ts NEW_AND_OLD_IMAGES",
    ]);
  });
});

describe("the API function", () => {
  it("runs the handler its built bundle exports, on Node 22 and arm64, as built", async () => {
    const fn = lambdaFor(plan, plannedFunctions.api.handler)!;
    expect(fn.resource.inputs).toMatchObject({ runtime: "nodejs22.x", architectures: ["arm64"], handler: "functions/api.handler" });
    expect(fn.build).toMatchObject({ runtime: "nodejs22.x", architecture: "arm64", file: expect.stringMatching(/functions\/api\.mjs$/) });
    expect(await builtHandlerProblems(plan, root, plannedFunctions.api.handler)).toEqual([]);
  });

  it("is reported when the handler names an export the bundle does not have", async () => {
    const broken = copy();
    apiFunction(broken).inputs.handler = "functions/api.main";
    broken.builds.find((b) => b.functionID === "Api")!.handler = "functions/api.main";
    expect(await builtHandlerProblems(broken, root, "functions/api.main")).toEqual([expect.stringContaining("does not export main")]);
  });

  it("gets every environment variable its code reads, found by scanning the code in its bundle", () => {
    // The scan finds what the loader and the app read; these are not listed anywhere by hand.
    expect(api.envReads).toEqual(expect.arrayContaining(["SITES_FILE", "STAGE", "WEBHOOK_SIGNING_KEY"]));
    expect(api.resourceReads).toEqual(expect.arrayContaining(["CommentTable", "IpHashKey"]));
    expect(environmentProblems(plan, plannedFunctions.api.handler, api)).toEqual([]);
    expect((apiFunction(plan).inputs as any).environment.variables).toMatchObject({ SITES_FILE: bundledSitesFile, STAGE: "production" });
  });

  it("is reported when a variable the code reads is missing from its environment", () => {
    const missing = copy();
    delete (apiFunction(missing).inputs as any).environment.variables.STAGE;
    expect(environmentProblems(missing, plannedFunctions.api.handler, api)).toEqual([
      `${apiFunction(plan).name}: the code reads STAGE but the function's environment does not set it`,
    ]);
  });

  it("holds no secret in its environment; secrets reach it sealed in its code (SST links)", () => {
    expect(secretProblems(plan)).toEqual([]);
    expect(plan.builds.find((b) => b.functionID === "Api")!.links).toEqual(["CommentTable", "IpHashKey", "RecaptchaSecret", "WebhookSigningKey"]);
  });

  it("ships the sites file validated at deploy in its code zip, where SITES_FILE points, whatever its size", () => {
    const sites = readFileSync(join(root, "sites/production.example.json"), "utf8");
    expect(codeZipProblems(plan, root, plannedFunctions.api.handler, { [bundledSitesFile]: sites })).toEqual([]);
    const moved = copy();
    (apiFunction(moved).inputs as any).environment.variables.SITES_FILE = "config/sites.json";
    expect(codeZipProblems(moved, root, plannedFunctions.api.handler, { [bundledSitesFile]: `${sites} ` })).toEqual([
      `${apiFunction(plan).name}: SITES_FILE=config/sites.json but the code zip has no config/sites.json`,
      `${apiFunction(plan).name}: the code zip's sites.json differs from the file validated at deploy`,
    ]);
  });

  it("opens the links sealed in its code with SST_KEY: the table's name and the secrets' values", () => {
    const fn = lambdaFor(plan, plannedFunctions.api.handler)!;
    const key = Buffer.from((fn.resource.inputs as any).environment.variables.SST_KEY, "base64");
    const sealed = readFileSync(join(root, fn.build!.out, "resource.enc"));
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.alloc(12));
    decipher.setAuthTag(sealed.subarray(-16));
    const links = JSON.parse(Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]).toString("utf8"));
    // The sealed file keeps SST's random name suffix, which the plan's text shows as xxxxxxxx.
    expect(links.CommentTable).toEqual({ name: expect.stringMatching(/-[a-z]{8}$/), type: "sst.sst.Linkable" });
    expect(links.CommentTable.name.replace(/-[a-z]{8}$/, "-xxxxxxxx")).toBe(named(plan, "TableTable").inputs.name);
    expect(links.IpHashKey).toEqual({ type: "sst.sst.Secret", value: plan.secretValues.IpHashKey });
    expect(links.RecaptchaSecret).toEqual({ type: "sst.sst.Secret", value: plan.secretValues.RecaptchaSecret });
  });

  it("is reported when a secret is put in an environment variable", () => {
    const leaky = copy();
    (apiFunction(leaky).inputs as any).environment.variables.IP_HASH_KEY = leaky.secretValues.IpHashKey;
    expect(secretProblems(leaky)).toEqual([
      `${apiFunction(plan).name}: environment variable IP_HASH_KEY holds the secret IpHashKey in plain text`,
      `${apiFunction(plan).name}: environment.variables.IP_HASH_KEY holds the secret IpHashKey unmarked`,
    ]);
  });
});

describe("permissions", () => {
  it("grant DynamoDB actions on this table and its indexes only, and no action on every resource", () => {
    expect(iamProblems(plan)).toEqual([]);
  });

  it("give the API exactly the DynamoDB actions its code sends, derived from the store's commands", () => {
    expect(api.dynamoActions).toEqual([...apiTableActions].sort());
    expect(tableAccessProblems(plan, plannedFunctions.api.handler, api)).toEqual([]);
  });

  it("are reported when wider than the code needs: an extra action, a wildcard, another resource, *", () => {
    const wide = copy();
    const role = named(wide, "ApiRole").inputs as Record<string, any>;
    const policy = JSON.parse(role.inlinePolicies[0].policy);
    const tableArn: string = policy.Statement[0].Resource[0];
    policy.Statement[0].Action.push("dynamodb:DeleteTable");
    policy.Statement.push({ Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: [`${tableArn}/stream/x`] });
    policy.Statement.push({ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] });
    role.inlinePolicies[0].policy = JSON.stringify(policy);
    expect(iamProblems(wide)).toEqual([
      `ApiRole: grants dynamodb:PutItem on ${tableArn}/stream/x, outside this table and its indexes`,
      "ApiRole: grants the wildcard action s3:*",
      "ApiRole: grants s3:* on every resource (*)",
    ]);
    expect(tableAccessProblems(wide, plannedFunctions.api.handler, api)).toEqual([`${apiFunction(plan).name}: the role grants dynamodb:DeleteTable which the code never sends`]);
  });

  it("are reported when narrower than the code needs", () => {
    const narrow = copy();
    const role = named(narrow, "ApiRole").inputs as Record<string, any>;
    const policy = JSON.parse(role.inlinePolicies[0].policy);
    policy.Statement[0].Action = policy.Statement[0].Action.filter((action: string) => action !== "dynamodb:Query");
    role.inlinePolicies[0].policy = JSON.stringify(policy);
    expect(tableAccessProblems(narrow, plannedFunctions.api.handler, api)).toEqual([`${apiFunction(plan).name}: the code needs dynamodb:Query but the role does not grant it`]);
  });
});

describe("the router", () => {
  it("sends /v1/* and every other path to the API, and /embed.js, /count.js, /moderate to the widget bucket", () => {
    expect(routerProblems(plan, { bucketPaths, apiOwner: "Api" })).toEqual([]);
    const routes = planRoutes(plan);
    expect(routes.find((route) => route.path === "/")).toMatchObject({ kind: "url", owner: "Api" });
    expect(routes.filter((route) => route.path.startsWith("/v1"))).toEqual([]);
  });

  it("never caches POST answers or responses without a Cache-Control header (moderation), and keys on Authorization", () => {
    const distribution = plan.resources.find((r) => r.type === "aws:cloudfront/distribution:Distribution")!.inputs as Record<string, any>;
    expect(distribution.defaultCacheBehavior.allowedMethods).toContain("POST");
    expect(distribution.defaultCacheBehavior.cachedMethods.sort()).toEqual(["GET", "HEAD"]);
    expect(named(plan, "RouterServerCachePolicy").inputs).toMatchObject({ defaultTtl: 0, minTtl: 0 });
  });

  it("is reported when a path goes elsewhere or POST answers or unmarked responses are cached", () => {
    const wrong = copy();
    const embed = wrong.resources.find((r) => r.name.startsWith("RouterRoute/embed.jsRoutesUpdate"))!;
    embed.inputs.entry = String(embed.inputs.entry).replace(/^bucket,/, "url,");
    const distribution = wrong.resources.find((r) => r.type === "aws:cloudfront/distribution:Distribution")!.inputs as Record<string, any>;
    distribution.defaultCacheBehavior.cachedMethods.push("POST");
    (named(wrong, "RouterServerCachePolicy").inputs as Record<string, any>).defaultTtl = 60;
    expect(routerProblems(wrong, { bucketPaths, apiOwner: "Api" })).toEqual([
      expect.stringMatching(/^the router sends \/embed\.js to function URL of .* not the widget bucket$/),
      "RouterCdnDistribution: caches POST responses",
      "RouterServerCachePolicy: caches responses that do not ask for it (default TTL 60 s, min 0 s)",
    ]);
  });
});

describe("event consumers", () => {
  it("wire the table stream to the moderator notifier, filtered to the moderation queue, with stream read rights", () => {
    expect(streamConsumerProblems(plan, plannedFunctions.notify.handler, queuePartition({ siteId: "" }))).toEqual([]);
    // One line per stream consumer: the notifier and the mail function (the schedule and SNS topic are not mappings).
    expect(eventSources(plan).map((source) => source.source.replace(/^.*:table\/[^/]+/, "table"))).toEqual(["table/stream/plan", "table/stream/plan"]);
  });

  it("give the notifier its signing key through its link, never its environment, and every variable it reads", async () => {
    const fn = lambdaFor(plan, plannedFunctions.notify.handler)!;
    expect(fn.build?.links).toEqual(["WebhookSigningKey"]);
    expect(Object.keys((fn.resource.inputs as any).environment.variables)).not.toContain("WEBHOOK_SIGNING_KEY");
    expect(notify.envReads).toEqual(expect.arrayContaining(["REVIEW_URL", "SITES_FILE", "WEBHOOK_SIGNING_KEY"]));
    expect(environmentProblems(plan, plannedFunctions.notify.handler, notify)).toEqual([]);
    expect(await builtHandlerProblems(plan, root, plannedFunctions.notify.handler)).toEqual([]);
    // Stream read rights go to the two stream consumers only: the notifier and the mail function.
    expect(grants(plan).filter((g) => g.statement.Action.some((a) => a.startsWith("dynamodb:GetRecords")))).toHaveLength(2);
  });

  it("are reported when the notifier is not subscribed to the stream", () => {
    const unwired = copy();
    unwired.resources = unwired.resources.filter((r) => r.type !== "aws:lambda/eventSourceMapping:EventSourceMapping");
    expect(streamConsumerProblems(unwired, plannedFunctions.notify.handler, queuePartition({ siteId: "" }))).toEqual([
      `${lambdaFor(plan, plannedFunctions.notify.handler)!.resource.name}: not subscribed to the table's stream`,
    ]);
  });
});
