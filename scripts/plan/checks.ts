import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { actionsWithoutResourceTypes, lambdaRuntimeVariables, notSetOnAws } from "../../infra/function-environment.ts";
import { secretEnvName } from "../../infra/secret-names.ts";
import type { tableDefinition } from "../../packages/store/src/table.ts";
import type { FunctionBuild } from "./cli-stand-in.ts";
import type { PlannedResource } from "./mocks.ts";
import type { StackPlan } from "./plan-stack.ts";
import { planRoutes } from "./routes.ts";
import { zipEntries } from "./zip.ts";

/**
 * Checks over a deploy plan (`.sst/plan.json`). Each returns the problems it finds, as sentences naming the
 * resource; an empty list passes. `tests/infra-plan.test.ts` runs them on the real plan and on mutated copies.
 */

type Inputs = Record<string, any>;
type Plan = Pick<StackPlan, "resources" | "builds" | "secretValues">;

const ofType = (plan: Pick<StackPlan, "resources">, type: string) => plan.resources.filter((resource) => resource.type === type);

/** The deployed Lambda function whose handler is `handler` (`functions/api.handler`), with its build. */
export function lambdaFor(plan: Plan, handler: string): { resource: PlannedResource; build: FunctionBuild | undefined } | undefined {
  const resource = ofType(plan, "aws:lambda/function:Function").find((fn) => fn.inputs.handler === handler);
  return resource && { resource, build: plan.builds.find((b) => b.handler === handler) };
}

/** The table a definition describes, in the AWS provider's terms, next to the planned one. */
export function tableProblems(plan: Plan, definition: typeof tableDefinition): string[] {
  const tables = ofType(plan, "aws:dynamodb/table:Table");
  if (tables.length !== 1) return [`expected one DynamoDB table, the plan has ${tables.length}`];
  const t = tables[0]!.inputs as Inputs;
  const problems: string[] = [];
  const type = (field: string) => ({ string: "S", number: "N", binary: "B" })[field] ?? "?";
  const want = Object.entries(definition.fields).map(([name, field]) => `${name}:${type(field)}`).sort();
  const got = ((t.attributes as Inputs[]) ?? []).map((a) => `${a.name}:${a.type}`).sort();
  if (want.join() !== got.join()) problems.push(`table attributes ${got.join(", ")} differ from table.ts ${want.join(", ")}`);
  if (t.hashKey !== definition.primaryIndex.hashKey || t.rangeKey !== definition.primaryIndex.rangeKey) {
    problems.push(`table key ${t.hashKey}/${t.rangeKey} differs from table.ts ${definition.primaryIndex.hashKey}/${definition.primaryIndex.rangeKey}`);
  }
  const projection = (p: string) => (p === "keys-only" ? "KEYS_ONLY" : "ALL");
  const wantIndexes = Object.entries(definition.globalIndexes).map(([name, i]) => `${name}:${i.hashKey}/${i.rangeKey}:${projection(i.projection)}`).sort();
  const gotIndexes = ((t.globalSecondaryIndexes as Inputs[]) ?? []).map((i) => `${i.name}:${i.hashKey}/${i.rangeKey}:${i.projectionType}`).sort();
  if (wantIndexes.join() !== gotIndexes.join()) problems.push(`table indexes ${gotIndexes.join(", ") || "none"} differ from table.ts ${wantIndexes.join(", ")}`);
  if (!t.ttl?.enabled || t.ttl.attributeName !== definition.ttl) problems.push(`table TTL ${t.ttl?.enabled ? t.ttl.attributeName : "off"} differs from table.ts ${definition.ttl}`);
  const stream = definition.stream.toUpperCase().replaceAll("-", "_");
  if (!t.streamEnabled || t.streamViewType !== stream) problems.push(`table stream ${t.streamEnabled ? t.streamViewType : "off"} differs from table.ts ${stream}`);
  if (t.billingMode !== "PAY_PER_REQUEST") problems.push(`table billing ${t.billingMode}, expected on-demand (PAY_PER_REQUEST)`);
  return problems;
}

/** Whether the built handler file exports the handler's function (read by esbuild, not run). */
export async function builtHandlerProblems(plan: Plan, root: string, handler: string): Promise<string[]> {
  const fn = lambdaFor(plan, handler);
  if (!fn) return [`no Lambda function with handler ${handler}`];
  if (!fn.build) return [`${fn.resource.name}: the plan has no build of ${handler}`];
  const file = join(root, fn.build.file);
  if (!existsSync(file)) return [`${fn.resource.name}: built file ${fn.build.file} is missing`];
  const result = await build({ entryPoints: [file], bundle: false, write: false, metafile: true, format: "esm", outdir: join(root, ".sst/plan-exports"), logLevel: "silent" });
  const exported = Object.values(result.metafile.outputs).flatMap((output) => output.exports);
  const name = handler.slice(handler.lastIndexOf(".") + 1);
  return exported.includes(name) ? [] : [`${fn.build.file} does not export ${name}`];
}

/** What a function's own code (not its dependencies) reads, from the modules esbuild keeps in its bundle. */
export interface SourceFacts {
  /** Environment variables read as `env.NAME`, `env["NAME"]`, `(… process.env).NAME`. */
  envReads: string[];
  /** Linked resources read as `Resource.Name`. */
  resourceReads: string[];
  /** DynamoDB IAM actions the commands sent need (transactions: the item operations inside them). */
  dynamoActions: string[];
  /** The source files scanned, relative to the root. */
  files: string[];
}

const documentCommandActions: Record<string, string[]> = {
  Get: ["GetItem"],
  Put: ["PutItem"],
  Update: ["UpdateItem"],
  Delete: ["DeleteItem"],
  Query: ["Query"],
  Scan: ["Scan"],
  BatchGet: ["BatchGetItem"],
  BatchWrite: ["BatchWriteItem"],
  TransactGet: [],
  TransactWrite: [],
};
const transactionItems: Record<string, string> = { Get: "GetItem", Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem", ConditionCheck: "ConditionCheckItem" };

/**
 * Scans the project's own modules that end up in `entry`'s bundle (esbuild's metafile: inputs outside
 * node_modules with bytes in the output) for what they read and send.
 * @example const facts = await sourceFacts(root, "functions/api.ts");
 */
export async function sourceFacts(root: string, entry: string): Promise<SourceFacts> {
  const result = await build({ entryPoints: [join(root, entry)], bundle: true, platform: "node", format: "esm", write: false, metafile: true, outfile: join(root, ".sst/plan-scan.mjs"), logLevel: "silent" });
  const output = Object.values(result.metafile.outputs)[0]!;
  const files = Object.entries(output.inputs)
    .filter(([path, input]) => input.bytesInOutput > 0 && !path.includes("node_modules"))
    .map(([path]) => path)
    .sort();
  const env = new Set<string>();
  const resources = new Set<string>();
  const actions = new Set<string>();
  const transactionActions = new Set<string>();
  let sendsTransactions = false;
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8").replace(/^\s*(\/\/|\*).*$/gm, "");
    for (const m of text.matchAll(/\benv\)?\.([A-Z][A-Z0-9_]*)\b|\benv\[\s*["'`]([A-Z][A-Z0-9_]*)["'`]\s*\]/g)) env.add((m[1] ?? m[2])!);
    for (const m of text.matchAll(/\bResource\.([A-Za-z][A-Za-z0-9]*)\b/g)) resources.add(m[1]!);
    const commands = [...text.matchAll(/new (\w+?)Command\(/g)].map((m) => m[1]!).filter((name) => name in documentCommandActions);
    for (const command of commands) for (const action of documentCommandActions[command]!) actions.add(`dynamodb:${action}`);
    if (commands.some((c) => c.startsWith("Transact"))) sendsTransactions = true;
    // Transaction items are built where their entity lives, not where the transaction is sent: collect them all.
    for (const m of text.matchAll(/\b(Get|Put|Update|Delete|ConditionCheck):\s*\{/g)) transactionActions.add(`dynamodb:${transactionItems[m[1]!]}`);
  }
  if (sendsTransactions) for (const action of transactionActions) actions.add(action);
  return { envReads: [...env].sort(), resourceReads: [...resources].sort(), dynamoActions: [...actions].sort(), files };
}

/**
 * Every variable the code reads is set, linked (secrets by their environment-style name), Lambda's own, or listed
 * as not set on AWS (for every function, or for this one in `notSetHere`, each with its reason).
 */
export function environmentProblems(plan: Plan, handler: string, facts: SourceFacts, notSetHere: Record<string, string> = {}): string[] {
  const fn = lambdaFor(plan, handler);
  if (!fn) return [`no Lambda function with handler ${handler}`];
  const variables = Object.keys((fn.resource.inputs as Inputs).environment?.variables ?? {});
  const linked = (fn.build?.links ?? []).map(secretEnvName);
  const provided = new Set([...variables, ...linked, ...lambdaRuntimeVariables, ...Object.keys(notSetOnAws), ...Object.keys(notSetHere)]);
  const problems = facts.envReads.filter((name) => !provided.has(name)).map((name) => `${fn.resource.name}: the code reads ${name} but the function's environment does not set it`);
  for (const name of facts.resourceReads) {
    if (!(fn.build?.links ?? []).includes(name)) problems.push(`${fn.resource.name}: the code reads Resource.${name} but the function does not link it`);
  }
  return problems;
}

/** No function's environment holds a secret, and no secret value appears outside Pulumi's secret markers. */
export function secretProblems(plan: Plan): string[] {
  const problems: string[] = [];
  const values = Object.entries(plan.secretValues);
  for (const fn of ofType(plan, "aws:lambda/function:Function")) {
    const variables = ((fn.inputs as Inputs).environment?.variables ?? {}) as Record<string, string>;
    for (const [name, value] of Object.entries(variables)) {
      for (const [secret, planted] of values) {
        if (String(value).includes(planted)) problems.push(`${fn.name}: environment variable ${name} holds the secret ${secret} in plain text`);
      }
      // SST_KEY opens the links sealed into the function's own code (resource.enc): SST's design, not a secret of ours.
      if (name !== "SST_KEY" && fn.secretPaths.includes(`environment.variables.${name}`)) problems.push(`${fn.name}: environment variable ${name} is a secret`);
    }
  }
  for (const resource of plan.resources) {
    const plain = JSON.stringify(resource.inputs);
    for (const [secret, planted] of values) {
      if (!plain.includes(planted)) continue;
      const exposed = findPaths(resource.inputs, planted).filter((path) => !resource.secretPaths.some((s) => path === s || path.startsWith(`${s}.`)));
      for (const path of exposed) problems.push(`${resource.name}: ${path} holds the secret ${secret} unmarked`);
    }
  }
  return [...new Set(problems)];
}

function findPaths(value: unknown, needle: string, path = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => findPaths(item, needle, path ? `${path}.${key}` : key));
}

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** Every Allow statement of every role's inline policies, with the role's name. */
export function grants(plan: Pick<StackPlan, "resources">): { role: string; statement: Statement }[] {
  return ofType(plan, "aws:iam/role:Role").flatMap((role) =>
    ((role.inputs as Inputs).inlinePolicies ?? []).flatMap((policy: Inputs) =>
      (JSON.parse(policy.policy).Statement as Inputs[])
        .filter((s) => s.Effect === "Allow")
        .map((s) => ({ role: role.name, statement: { Effect: s.Effect, Action: [s.Action].flat(), Resource: [s.Resource].flat() } as Statement })),
    ),
  );
}

/** The actions a function's role allows (its `role` input is the role's ARN). */
function actionsOfRole(plan: Pick<StackPlan, "resources">, fn: PlannedResource): string[] {
  const roleName = String((fn.inputs as Inputs).role ?? "").split("/").pop();
  const role = plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === roleName);
  return grants(plan).filter((g) => g.role === role?.name).flatMap((g) => g.statement.Action);
}

/** What a stream subscription grants its consumer (on the stream, for Lambda's poller, not its code). */
export const streamActions = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];

/**
 * Least privilege for every role: no wildcard action, no `*` resource (except actions AWS scopes to no
 * resource), DynamoDB only on this table (data actions on the table and its indexes, stream actions on its
 * stream).
 */
export function iamProblems(plan: Plan): string[] {
  const tableName = String(ofType(plan, "aws:dynamodb/table:Table")[0]?.inputs.name ?? "");
  const tableArn = new RegExp(`^arn:aws:dynamodb:[^:]+:\\d+:table/${tableName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  const problems: string[] = [];
  for (const { role, statement } of grants(plan)) {
    for (const action of statement.Action) {
      if (action.includes("*")) problems.push(`${role}: grants the wildcard action ${action}`);
    }
    if (statement.Resource.includes("*") && !statement.Action.every((a) => (actionsWithoutResourceTypes as readonly string[]).includes(a))) {
      problems.push(`${role}: grants ${statement.Action.join(", ")} on every resource (*)`);
    }
    for (const action of statement.Action.filter((a) => a.startsWith("dynamodb:"))) {
      for (const resource of statement.Resource) {
        const match = tableArn.exec(resource);
        const rest = match ? resource.slice(match[0].length) : null;
        const allowed = streamActions.includes(action) ? /^\/stream\/[^/]+$/ : /^(?:$|\/index\/[^/]+$)/;
        if (rest === null || !allowed.test(rest)) problems.push(`${role}: grants ${action} on ${resource}, outside this table${streamActions.includes(action) ? "'s stream" : " and its indexes"}`);
      }
    }
  }
  return [...new Set(problems)];
}

/**
 * The DynamoDB actions the function's role grants equal the ones its code needs, plus `alsoNeeded` (the
 * {@link streamActions} of a stream consumer).
 */
export function tableAccessProblems(plan: Plan, handler: string, facts: SourceFacts, alsoNeeded: readonly string[] = []): string[] {
  const fn = lambdaFor(plan, handler);
  if (!fn) return [`no Lambda function with handler ${handler}`];
  const granted = new Set(actionsOfRole(plan, fn.resource).filter((a) => a.startsWith("dynamodb:")));
  const needed = new Set([...facts.dynamoActions, ...alsoNeeded]);
  return [
    ...[...needed].filter((a) => !granted.has(a)).map((a) => `${fn.resource.name}: the code needs ${a} but the role does not grant it`),
    ...[...granted].filter((a) => !needed.has(a)).map((a) => `${fn.resource.name}: the role grants ${a} which the code never sends`),
  ];
}

/** Where paths go: the API owns `/` (so `/v1/*`), the widget files come from the bucket, nothing cached but GET/HEAD. */
export function routerProblems(plan: Plan, expected: { bucketPaths: string[]; apiOwner: string }): string[] {
  const routes = planRoutes(plan);
  const problems: string[] = [];
  const catchAll = routes.find((route) => route.path === "/");
  if (catchAll?.kind !== "url" || catchAll.owner !== expected.apiOwner) problems.push(`the router's catch-all / goes to ${catchAll?.target ?? "nothing"}, not the ${expected.apiOwner} function`);
  for (const route of routes.filter((r) => r.path.startsWith("/v1"))) problems.push(`the router sends ${route.path} to ${route.target}, not the API`);
  for (const path of expected.bucketPaths) {
    const route = routes.find((r) => r.path === path);
    if (route?.kind !== "bucket") problems.push(`the router sends ${path} to ${route?.target ?? "the catch-all"}, not the widget bucket`);
  }
  for (const distribution of ofType(plan, "aws:cloudfront/distribution:Distribution")) {
    const cached = ((distribution.inputs as Inputs).defaultCacheBehavior?.cachedMethods ?? []) as string[];
    const unsafe = cached.filter((m) => !["GET", "HEAD"].includes(m));
    if (unsafe.length > 0) problems.push(`${distribution.name}: caches ${unsafe.join(", ")} responses`);
  }
  for (const policy of ofType(plan, "aws:cloudfront/cachePolicy:CachePolicy")) {
    const i = policy.inputs as Inputs;
    // Responses without a Cache-Control header (POST answers, moderation routes) must not be cached at all.
    if (i.defaultTtl !== 0 || i.minTtl !== 0) problems.push(`${policy.name}: caches responses that do not ask for it (default TTL ${i.defaultTtl} s, min ${i.minTtl} s)`);
    const headers = (i.parametersInCacheKeyAndForwardedToOrigin?.headersConfig?.headers?.items ?? []) as string[];
    if (!headers.map((h) => h.toLowerCase()).includes("authorization")) problems.push(`${policy.name}: Authorization is not in the cache key (moderators' answers could be shared)`);
  }
  return problems;
}

/** Each event source mapping, as "source → function" with its filters (the table stream, later queues or schedules). */
export function eventSources(plan: Pick<StackPlan, "resources">): { source: string; functionName: string; filters: string[] }[] {
  return ofType(plan, "aws:lambda/eventSourceMapping:EventSourceMapping").map((mapping) => {
    const i = mapping.inputs as Inputs;
    return { source: String(i.eventSourceArn), functionName: String(i.functionName), filters: ((i.filterCriteria?.filters ?? []) as Inputs[]).map((f) => String(f.pattern)) };
  });
}

/** The table's stream feeds the function with `handler`, filtered by `filterIncludes`, and the function may read the stream. */
export function streamConsumerProblems(plan: Plan, handler: string, filterIncludes: string): string[] {
  const fn = lambdaFor(plan, handler);
  if (!fn) return [`no Lambda function with handler ${handler}`];
  const table = ofType(plan, "aws:dynamodb/table:Table")[0];
  const tableName = String(table?.inputs.name ?? "");
  // The mapping names its function by name or ARN.
  const names = (m: { functionName: string }) => m.functionName === fn.resource.inputs.name || m.functionName.endsWith(`:function:${String(fn.resource.inputs.name)}`);
  const mapping = eventSources(plan).find((m) => names(m) && m.source.includes(`table/${tableName}/stream/`));
  if (!mapping) return [`${fn.resource.name}: not subscribed to the table's stream`];
  const problems: string[] = [];
  if (!mapping.filters.some((f) => f.includes(filterIncludes))) problems.push(`${fn.resource.name}: the stream subscription has no filter on ${filterIncludes}`);
  const reads = actionsOfRole(plan, fn.resource);
  for (const action of ["dynamodb:GetRecords", "dynamodb:GetShardIterator"]) if (!reads.includes(action)) problems.push(`${fn.resource.name}: its role cannot ${action} on the stream`);
  return problems;
}

/**
 * The code zip a function uploads (`.sst/artifacts/<function>/code.zip`) holds its built handler, every file
 * its environment names (`SITES_FILE`, `SST_KEY_FILE`), and `expected` files with exactly that content.
 */
export function codeZipProblems(plan: Plan, root: string, handler: string, expected: Record<string, string> = {}): string[] {
  const fn = lambdaFor(plan, handler);
  if (!fn?.build) return [`no built Lambda function with handler ${handler}`];
  const zip = join(root, ".sst/artifacts", fn.build.functionID, "code.zip");
  if (!existsSync(zip)) return [`${fn.resource.name}: no code zip at ${zip}`];
  const entries = zipEntries(zip);
  const problems: string[] = [];
  const builtFile = fn.build.file.slice(fn.build.out.length + 1);
  if (!entries.has(builtFile)) problems.push(`${fn.resource.name}: the code zip lacks the built handler ${builtFile}`);
  const variables = ((fn.resource.inputs as Inputs).environment?.variables ?? {}) as Record<string, string>;
  for (const [name, value] of Object.entries(variables)) {
    if (name.endsWith("_FILE") && !entries.has(value)) problems.push(`${fn.resource.name}: ${name}=${value} but the code zip has no ${value}`);
  }
  for (const [name, content] of Object.entries(expected)) {
    const shipped = entries.get(name);
    if (!shipped) problems.push(`${fn.resource.name}: the code zip lacks ${name}`);
    else if (shipped.toString("utf8") !== content) problems.push(`${fn.resource.name}: the code zip's ${name} differs from the file validated at deploy`);
  }
  return problems;
}
