import type { StackPlan } from "./plan-stack.ts";
import type { PlannedResource } from "./mocks.ts";
import { planRoutes } from "./routes.ts";

type Inputs = Record<string, any>;

const list = (values: unknown) => (Array.isArray(values) ? values.join(", ") : String(values ?? ""));
const code = (value: unknown) => `\`${String(value).replaceAll("|", "\\|")}\``;

/** IAM policy JSON as "Allow a, b on r1, r2" lines. */
export function policyLines(json: string): string[] {
  const document = JSON.parse(json) as { Statement: { Effect: string; Action?: string[] | string; Resource?: string[] | string }[] };
  return document.Statement.map((statement) => `${statement.Effect} ${list(statement.Action)} on ${list(statement.Resource)}`);
}

/** The inputs worth reading in review, per AWS type; everything else is in `.sst/plan.json`. */
function keyInputs(resource: PlannedResource, secrets: Record<string, string>): string {
  const i = resource.inputs as Inputs;
  const hide = (text: string) => Object.entries(secrets).reduce((out, [name, value]) => out.replaceAll(value, `«secret ${name}»`), text);
  switch (resource.type) {
    case "aws:dynamodb/table:Table":
      return [
        `key ${i.hashKey}/${i.rangeKey}`,
        `${i.billingMode}`,
        ...((i.globalSecondaryIndexes as Inputs[]) ?? []).map((index) => `index ${index.name}: ${index.hashKey}/${index.rangeKey} (${index.projectionType})`),
        `TTL ${i.ttl?.enabled ? i.ttl.attributeName : "off"}`,
        `stream ${i.streamEnabled ? i.streamViewType : "off"}`,
        `point-in-time recovery ${i.pointInTimeRecovery?.enabled ? "on" : "off"}`,
        `deletion protection ${i.deletionProtectionEnabled ? "on" : "off"}`,
      ].join("; ");
    case "aws:lambda/function:Function": {
      const env = Object.entries((i.environment?.variables as Record<string, string>) ?? {}).map(([name, value]) =>
        name === "SST_KEY" ? `${name}=(link key)` : `${name}=${value.length > 60 ? `(${value.length} chars)` : hide(value)}`,
      );
      return [`handler ${code(i.handler)}`, i.runtime, list(i.architectures), `${i.memorySize} MB`, `${i.timeout} s`, `env: ${env.join(", ")}`].join("; ");
    }
    case "aws:iam/role:Role":
      return [
        ...((i.inlinePolicies as Inputs[]) ?? []).flatMap((policy) => policyLines(policy.policy)),
        ...((i.managedPolicyArns as string[]) ?? []).map((arn) => `managed ${arn.split("/").pop()}`),
      ].join("; ");
    case "aws:lambda/functionUrl:FunctionUrl":
      return `auth ${i.authorizationType}; ${i.invokeMode}`;
    case "aws:lambda/permission:Permission":
      return `${i.action} for ${i.principal}${i.functionUrlAuthType ? ` (URL auth ${i.functionUrlAuthType})` : ""}`;
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
      return [`from ${i.eventSourceArn.split(":").pop()}`, `start ${i.startingPosition}`, ...((i.filterCriteria?.filters as Inputs[]) ?? []).map((f) => `filter ${code(f.pattern)}`)].join("; ");
    case "aws:cloudfront/distribution:Distribution": {
      const behavior = i.defaultCacheBehavior as Inputs;
      return [
        `aliases ${list(i.aliases) || "none"}`,
        `methods ${list(behavior.allowedMethods)}, caches ${list(behavior.cachedMethods)}`,
        `viewer ${behavior.viewerProtocolPolicy}`,
        `functions: ${((behavior.functionAssociations as Inputs[]) ?? []).map((f) => f.eventType).join(", ")}`,
      ].join("; ");
    }
    case "aws:cloudfront/cachePolicy:CachePolicy": {
      const keys = i.parametersInCacheKeyAndForwardedToOrigin as Inputs;
      return [`TTL default ${i.defaultTtl} s, min ${i.minTtl} s, max ${i.maxTtl} s`, `key headers ${list(keys.headersConfig?.headers?.items)}`, `cookies ${keys.cookiesConfig?.cookieBehavior}`, `query ${keys.queryStringsConfig?.queryStringBehavior}`].join("; ");
    }
    case "aws:cloudfront/function:Function":
      return `${i.runtime}; ${String(i.code).length} chars of viewer-request code`;
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      if (/-code-[0-9a-f]+\.zip$/.test(String(i.key))) return "the function's zip (built code, `resource.enc`, copied files)";
      return `${code(i.key)}; ${i.contentType ?? ""}; ${i.cacheControl ?? ""}`;
    case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
      return `block public ACLs ${i.blockPublicAcls}, policy ${i.blockPublicPolicy}`;
    case "aws:cloudwatch/eventRule:EventRule":
      return `schedule ${code(i.scheduleExpression)}; ${i.state}`;
    case "aws:cloudwatch/eventTarget:EventTarget":
      return `runs ${String(i.arn).split(":").pop()} on rule ${i.rule}`;
    case "aws:sesv2/emailIdentity:EmailIdentity":
      return `sender ${code(i.emailIdentity)}; configuration set ${i.configurationSetName}`;
    case "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination":
      return `${list(i.eventDestination?.matchingEventTypes ?? [])} of ${i.configurationSetName} to ${String(i.eventDestination?.snsDestination?.topicArn ?? i.eventDestination?.eventBridgeDestination?.eventBusArn).split(":").pop()}`;
    case "aws:sns/topicSubscription:TopicSubscription":
      return `${String(i.topic).split(":").pop()} to ${i.protocol} ${String(i.endpoint).split(":").pop()}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${code(i.name)}; ${i.retentionInDays} days`;
    case "aws:s3/bucketPolicy:BucketPolicy":
      return policyLines(String(i.policy)).join("; ");
    case "aws:cloudfront/keyValueStore:KeyValueStore":
      return "the router's route table";
    case "pulumi-nodejs:dynamic:Resource":
      if (resource.name.endsWith(".sst.aws.KvRoutesUpdate")) return `adds route entry ${code(i.entry)}`;
      if (resource.name.endsWith(".sst.aws.KvKeys")) return `route data for namespace ${code(i.namespace)}`;
      if (resource.name.endsWith(".sst.aws.DistributionDeploymentWaiter")) return `waits for the distribution to deploy: ${i.wait}`;
      return "";
    case "random:index/randomBytes:RandomBytes":
      return `${i.length} bytes (seals the functions' links)`;
    default:
      return "";
  }
}

/** SST's custom providers show as `pulumi-nodejs:dynamic:Resource`; their name says which one. */
function displayType(resource: PlannedResource): string {
  if (resource.type !== "pulumi-nodejs:dynamic:Resource") return resource.type;
  return `sst provider ${resource.name.slice(resource.name.lastIndexOf(".sst.") + 1)}`;
}

/**
 * The plan as Markdown: routes, then one row per resource a deploy creates (components omitted: AWS never
 * sees them), with the inputs a reviewer checks.
 */
export function renderPlan(plan: StackPlan, source: string): string {
  const created = plan.resources.filter((resource) => resource.custom && resource.type !== "pulumi:pulumi:Stack");
  const counts = new Map<string, number>();
  for (const resource of created) counts.set(displayType(resource), (counts.get(displayType(resource)) ?? 0) + 1);
  const lines = [
    "# Deploy plan",
    "",
    `Generated by \`npm run plan:infra\` (also run by \`npm run check:infra\`): the real \`sst.config.ts\` and \`infra/\`, run by SST ${plan.sstVersion}'s`,
    `own components under Pulumi's mock runtime, for stage \`${plan.app.stage}\` with ${source}. Do not edit; regenerate.`,
    `Account \`123456789012\` and region \`us-east-1\` are placeholders; SST's random name suffixes are shown as \`xxxxxxxx\`.`,
    `App \`${plan.app.name}\`: removal \`${plan.app.removal}\`, protect \`${plan.app.protect}\`.`,
    "",
    "## Routes (CloudFront router)",
    "",
    "| path | goes to |",
    "| --- | --- |",
    ...planRoutes(plan).map((route) => `| ${code(route.path)} | ${route.target} |`),
    "",
    `## Resources (${created.length})`,
    "",
    "| count | type |",
    "| --- | --- |",
    ...[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `| ${count} | ${code(type)} |`),
    "",
    "| resource | type | key inputs |",
    "| --- | --- | --- |",
    ...created
      .slice()
      .sort((a, b) => displayType(a).localeCompare(displayType(b)) || a.name.localeCompare(b.name))
      .map((resource) => `| ${code(resource.name)} | ${code(displayType(resource))} | ${keyInputs(resource, plan.secretValues).replaceAll("|", "\\|")} |`),
    "",
    "## Functions built",
    "",
    "| function | handler | built file | links sealed in `resource.enc` |",
    "| --- | --- | --- | --- |",
    // Sorted: functions finish building in any order.
    ...[...plan.builds].sort((a, b) => a.functionID.localeCompare(b.functionID)).map((build) => `| ${code(build.functionID)} | ${code(build.handler)} | ${code(build.file.replace(/^\.sst\/artifacts\//, ""))} | ${build.links.join(", ")} |`),
    "",
    "## Outputs",
    "",
    "| output | value |",
    "| --- | --- |",
    ...Object.entries(plan.outputs).map(([name, value]) => `| ${code(name)} | ${code(value)} |`),
    "",
  ];
  return lines.join("\n");
}
