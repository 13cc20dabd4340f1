import { createHash } from "node:crypto";

/**
 * Pulumi mocks (`runtime.setMocks`) that record every resource the program registers, with its inputs, and
 * answer the few provider functions SST's components call. Nothing leaves the machine: the "cloud" is a
 * fixed account (123456789012) in one region, and every computed output (ARNs, names, URLs, random bytes) is
 * derived from the resource's name, so the same program always plans the same table.
 */

/** Pulumi's wire marker for a secret value (`@pulumi/pulumi/runtime/rpc.js`). */
const secretSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** One resource the program would create. */
export interface PlannedResource {
  type: string;
  name: string;
  /** False for component resources (SST's `sst:aws:Function` …), which AWS never sees. */
  custom: boolean;
  /** Inputs as registered (the plan's secret values are placeholders, never real keys). */
  inputs: Record<string, unknown>;
  /** Paths of the inputs Pulumi treats as secret (`environment.variables.SST_KEY`). */
  secretPaths: string[];
}

/** One provider function the program called (data sources such as `aws.iam.getPolicyDocument`). */
export interface PlannedInvoke {
  token: string;
  inputs: Record<string, unknown>;
}

export const planAccount = "123456789012";
export const planRegion = "us-east-1";

const isSecret = (value: unknown): value is { value: unknown } =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[secretSigKey] === secretSig;

/** Where in `value` Pulumi's secret markers sit, as dotted paths. */
function secretPathsOf(value: unknown, path = ""): string[] {
  if (isSecret(value)) return [path || "."];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => secretPathsOf(item, path ? `${path}.${key}` : key));
}

/** The inputs with secrets unwrapped, as the resource's state echoes them back to the program. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}

const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);

/** Outputs AWS (or the random provider) would compute for a resource, derived from its name. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const [provider, module] = type.split(":");
  const service = module?.split("/")[0] ?? "resource";
  const physical = typeof inputs.name === "string" ? inputs.name : `${name.replace(/[^A-Za-z0-9-]/g, "-")}-${hex(name, 7)}`;
  const common = { arn: `arn:aws:${service}:${planRegion}:${planAccount}:${physical}`, name: physical };
  if (provider === "random") {
    const length = Number(inputs.length ?? 32);
    const bytes = Buffer.from(hex(name, length * 2).padEnd(length * 2, "0"), "hex");
    return { base64: bytes.toString("base64"), hex: bytes.toString("hex"), result: bytes.toString("hex"), b64Std: bytes.toString("base64"), id: name };
  }
  switch (type) {
    case "aws:dynamodb/table:Table":
      return { ...common, arn: `arn:aws:dynamodb:${planRegion}:${planAccount}:table/${physical}`, streamArn: `arn:aws:dynamodb:${planRegion}:${planAccount}:table/${physical}/stream/plan` };
    case "aws:lambda/function:Function":
      return { ...common, arn: `arn:aws:lambda:${planRegion}:${planAccount}:function:${physical}`, invokeArn: `arn:aws:apigateway:${planRegion}:lambda:path/functions/${physical}/invocations`, qualifiedArn: `arn:aws:lambda:${planRegion}:${planAccount}:function:${physical}:1` };
    case "aws:lambda/functionUrl:FunctionUrl":
      return { functionUrl: `https://${hex(name, 32)}.lambda-url.${planRegion}.on.aws/`, urlId: hex(name, 32) };
    case "aws:iam/role:Role":
      return { ...common, arn: `arn:aws:iam::${planAccount}:role/${physical}` };
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket": {
      const bucket = typeof inputs.bucket === "string" ? inputs.bucket : `${physical.toLowerCase()}`;
      return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${bucket}.s3.${planRegion}.amazonaws.com` };
    }
    case "aws:cloudfront/distribution:Distribution":
      return { ...common, domainName: `d${hex(name, 13)}.cloudfront.net`, hostedZoneId: "Z2FDTNDATAQYW2", etag: hex(name, 12) };
    // SES names identities and configuration sets by what they are, not by a generated name.
    case "aws:sesv2/emailIdentity:EmailIdentity":
      return { ...common, arn: `arn:aws:ses:${planRegion}:${planAccount}:identity/${String(inputs.emailIdentity)}` };
    case "aws:sesv2/configurationSet:ConfigurationSet":
      return { ...common, arn: `arn:aws:ses:${planRegion}:${planAccount}:configuration-set/${String(inputs.configurationSetName)}` };
    case "aws:sns/topic:Topic":
      return { ...common, arn: `arn:aws:sns:${planRegion}:${planAccount}:${physical}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { ...common, arn: `arn:aws:logs:${planRegion}:${planAccount}:log-group:${physical}` };
    default:
      return common;
  }
}

/** `aws.iam.getPolicyDocument`: the policy JSON from its statements, as the provider writes it. */
function policyDocument(inputs: Record<string, unknown>) {
  const statements = (inputs.statements as Record<string, unknown>[] | undefined) ?? [];
  const document = {
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      ...(statement.sid ? { Sid: statement.sid } : {}),
      Effect: statement.effect ?? "Allow",
      ...(statement.actions ? { Action: statement.actions } : {}),
      ...(statement.resources ? { Resource: statement.resources } : {}),
      ...(statement.principals ? { Principal: statement.principals } : {}),
      ...(statement.conditions ? { Condition: statement.conditions } : {}),
    })),
  };
  const json = JSON.stringify(document);
  return { json, minifiedJson: json, id: hex(json, 10), statements };
}

/** Mocks for `runtime.setMocks` and what they recorded. */
export function recordingMocks() {
  const resources: PlannedResource[] = [];
  const invokes: PlannedInvoke[] = [];
  const mocks = {
    newResource(args: { type: string; name: string; inputs: Record<string, unknown>; custom?: boolean; id?: string }) {
      const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
      resources.push({ type: args.type, name: args.name, custom: args.custom !== false, inputs, secretPaths: secretPathsOf(args.inputs) });
      const outputs = computedOutputs(args.type, args.name, inputs);
      return { id: args.id || `${args.name}-${hex(args.type + args.name, 8)}`, state: { ...inputs, ...outputs } };
    },
    call(args: { token: string; inputs: Record<string, unknown> }) {
      invokes.push({ token: args.token, inputs: unwrapSecrets(args.inputs) as Record<string, unknown> });
      switch (args.token) {
        case "aws:index/getRegion:getRegion":
          return { name: planRegion, region: planRegion, id: planRegion, description: "plan region", endpoint: `ec2.${planRegion}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
          return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return { accountId: planAccount, arn: `arn:aws:iam::${planAccount}:user/plan`, userId: "PLAN", id: planAccount };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
          return policyDocument(unwrapSecrets(args.inputs) as Record<string, unknown>);
        default:
          throw new Error(`The plan has no answer for the provider function ${args.token}`);
      }
    },
  };
  return { mocks, resources, invokes };
}
