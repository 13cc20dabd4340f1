/**
 * The command-line tools' composition root (`@comments/local/cli`): the moderator CLI and the import, export and
 * data CLIs get their sites, logger, IP-hash key and store from {@link createRuntime}, on the store reached by the
 * one local-store opener ({@link openLocalStore}) or a deployed table.
 */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { demoSite, type SiteConfig } from "@comments/core";
import { createRuntime, IpHashKeyError, loadSites, type Runtime } from "@comments/api";
import { ensureTable, type Store } from "@comments/store";
import { LocalStoreInUseError, openLocalStore, type LocalStoreReach } from "./local-store.ts";

type Env = Record<string, string | undefined>;

/** A failure the command line reports as one clear message (no stack). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** The sites a command-line tool serves when the environment names none: the local server's demo site. */
const cliDefaultSites = (env: Env) => () => [demoSite(Number(env.PORT ?? 3000))];

/** The configured sites, parsed as the runtime parses them (`SITES_JSON`, `SITES_FILE`, else the demo site); no store opened. */
export const cliSites = (env: Env): SiteConfig[] => loadSites(env, cliDefaultSites(env));

/** What {@link openCliRuntime} opens. */
export interface CliRuntimeOptions {
  /** `create`: make the table when missing (imports, moderator keys); `existing`: refuse a missing one (exports, data requests). */
  table: "create" | "existing";
  /** Load the IP-hash key (`IP_HASH_KEY`, else `ip-hash.key` in DATA_DIR, created only for a store this run started). */
  hashing: boolean;
  /** A deployed table on AWS (credentials and region from the usual AWS environment) instead of the local store. */
  aws?: { table: string };
}

/** A command-line run's runtime with its open store. */
export interface CliRuntime {
  runtime: Runtime;
  store: Store;
  endpoint: string;
  tableName: string;
  /** How the store was reached ("aws" for a deployed table). */
  reach: LocalStoreReach | "aws";
  /** Closes the clients and stops the embedded store when this run started it. */
  close(): Promise<void>;
}

const storeHint = (endpoint: string) => `Check that the store at ${endpoint} is running (npm start prints its address as "Store:").`;

/**
 * Opens the store (see {@link openLocalStore} for the local policy; `aws` for a deployed table) and builds the
 * runtime on it. Table from `TABLE_NAME` (default "comments"). Failures a person can fix are {@link CliError}s.
 */
export async function openCliRuntime(env: Env, options: CliRuntimeOptions): Promise<CliRuntime> {
  if (options.aws) {
    const runtime = build(env, options, { table: { name: options.aws.table } });
    return { runtime, store: runtime.store!, endpoint: "aws", tableName: options.aws.table, reach: "aws", close: async () => runtime.close() };
  }
  const tableName = env.TABLE_NAME ?? "comments";
  const local = await openLocalStore(env).catch((error: unknown) => {
    throw error instanceof LocalStoreInUseError ? new CliError(error.message) : error;
  });
  let runtime: Runtime | null = null;
  const close = async () => {
    runtime?.close();
    await local.stop();
  };
  try {
    runtime = build(env, options, {
      table: { name: tableName, endpoint: local.endpoint, credentials: local.credentials, region: local.region, maxAttempts: 8, requestTimeoutMs: 10_000 },
      ipHashKeySource: { dataDir: local.dataDir, createIfMissing: local.reach === "embedded" },
    });
    await checkTable(runtime, tableName, local.endpoint, options.table === "create" || local.reach === "embedded");
    return { runtime, store: runtime.store!, endpoint: local.endpoint, tableName, reach: local.reach, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function build(env: Env, options: CliRuntimeOptions, parts: Pick<Parameters<typeof createRuntime>[0] & object, "table" | "ipHashKeySource">): Runtime {
  try {
    return createRuntime({
      env,
      defaultSites: cliDefaultSites(env),
      ...parts,
      ...(options.hashing ? {} : { ipHashKeySource: undefined, env: { ...env, IP_HASH_KEY: undefined } }),
    });
  } catch (error) {
    throw error instanceof IpHashKeyError ? new CliError(error.message) : error;
  }
}

async function checkTable(runtime: Runtime, tableName: string, endpoint: string, create: boolean): Promise<void> {
  const client = runtime.client!;
  try {
    if (create) await ensureTable(client, tableName);
    else await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") {
      throw new CliError(`There is no table "${tableName}" at ${endpoint} (set TABLE_NAME to the service's table).`);
    }
    throw new CliError(`Cannot use the store: ${(error as Error).message}. ${storeHint(endpoint)}`);
  }
}
