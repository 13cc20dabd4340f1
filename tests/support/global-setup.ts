import type { TestProject } from "vitest/node";
import { startDynamoDbLocal, type DynamoDbLocal } from "../../packages/local/src/dynamodb-local.ts";
import { preflightProblems } from "./preflight.ts";
import { ensureSstPlatform } from "./sst-platform.ts";

let store: DynamoDbLocal | undefined;

/** Starts one in-memory DynamoDB Local for the whole run; each test file creates its own table in it. */
export async function setup(project: TestProject) {
  // Say what the machine lacks, with the install command, before any test starts (not as 40 cryptic failures).
  const problems = preflightProblems();
  if (problems.length > 0) throw new Error(`The test suite cannot run on this machine:\n  ${problems.join("\n  ")}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  // The store starts while SST's platform is fetched (only when missing: a fresh clone).
  const platform = ensureSstPlatform((line) => console.log(line));
  platform.catch(() => undefined); // awaited below; this only keeps Node from calling it unhandled meanwhile
  store = await startDynamoDbLocal();
  await platform;
  project.provide("dynamoEndpoint", store.endpoint);
}

export async function teardown() {
  await store?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
