import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { existsSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { resolve, sep } from "node:path";
import { demoSite, type SiteConfig } from "@comments/core";
import { IpHashKeyError, loadIpHashKey, loadSites } from "@comments/api";
import { createHasher, type Hasher } from "@comments/api/hashing";
import { startEmbeddedStore, type EmbeddedStore } from "@comments/local/store";
import { localStoreCredentials, localStoreRegion, storeDirOf } from "@comments/local/store";
import { createClients, createStore, ensureTable, type Store } from "@comments/store";

/** A failure the command line reports as one clear message (no stack). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** An open store for a command-line run. */
export interface Connection {
  store: Store;
  hasher: Hasher;
  sites: SiteConfig[];
  endpoint: string;
  tableName: string;
  /** True when this run started the embedded store on DATA_DIR. */
  embedded: boolean;
  close(): Promise<void>;
}

/** Another process with files of `dir` open (Linux: /proc), or null. The embedded store cannot be shared. */
export function processUsing(dir: string): { pid: number; command: string } | null {
  if (process.platform !== "linux" || !existsSync("/proc") || !existsSync(dir)) return null;
  const prefix = resolve(dir) + sep;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith(prefix)) {
        let command = "";
        try {
          command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).slice(0, 3).join(" ");
        } catch {
          // the process ended meanwhile
        }
        return { pid: Number(entry), command };
      }
    }
  }
  return null;
}

/** The IP-hash key through the one loader: `IP_HASH_KEY`, else the local server's key file in DATA_DIR (made for an embedded store only). */
function ipHashKey(env: Record<string, string | undefined>, dataDir: string, embedded: boolean): string {
  try {
    return loadIpHashKey(env, { dataDir, createIfMissing: embedded });
  } catch (error) {
    if (error instanceof IpHashKeyError) throw new CliError(error.message);
    throw error;
  }
}

/** The configured sites, as the local server loads them (`SITES_JSON`, `SITES_FILE`, else the demo site). */
export const cliSites = (env: Record<string, string | undefined>) => loadSites(env, () => [demoSite(Number(env.PORT ?? 3000))]);

const storeHint = (endpoint: string) =>
  `Check that the store at ${endpoint} is running (npm start prints its address as "Store:").`;

/**
 * Opens the store the way the local server does: `DYNAMODB_ENDPOINT` when set, else the embedded store on
 * `DATA_DIR` (default .data), which must not be in use by a running `npm start` (the embedded store keeps one
 * database file that two store processes cannot share). Table from `TABLE_NAME` (default "comments"); sites from
 * `SITES_JSON` / `SITES_FILE` (default: the demo site).
 */
export async function connect(env: Record<string, string | undefined>, options: { createTable: boolean }): Promise<Connection> {
  const sites = cliSites(env);
  const dataDir = resolve(env.DATA_DIR ?? ".data");
  const tableName = env.TABLE_NAME ?? "comments";
  let embedded: EmbeddedStore | null = null;
  let endpoint = env.DYNAMODB_ENDPOINT;
  // The embedded store keeps its data under the installation's credentials (in DATA_DIR); any other endpoint
  // gets them too when DATA_DIR has them, which is how a command reaches a running `npm start`'s store.
  let credentials = localStoreCredentials(dataDir);
  if (!endpoint) {
    const storeDir = storeDirOf(dataDir);
    const user = processUsing(storeDir);
    if (user) {
      throw new CliError(
        `The local store in ${storeDir} is in use by process ${user.pid} (${user.command || "unknown"}), probably \`npm start\`. ` +
          "Stop it and run this command again, or point DYNAMODB_ENDPOINT at the running store (npm start prints it as \"Store:\").",
      );
    }
    embedded = await startEmbeddedStore(dataDir);
    endpoint = embedded.endpoint;
    credentials = embedded.credentials;
  }
  const { client, documentClient } = createClients({ endpoint, credentials, region: localStoreRegion, maxAttempts: 8, requestTimeoutMs: 10_000 });
  const close = async () => {
    client.destroy();
    await embedded?.local.stop();
  };
  try {
    const hasher = createHasher(ipHashKey(env, dataDir, embedded !== null));
    try {
      if (options.createTable || embedded) {
        await ensureTable(client, tableName);
      } else {
        await client.send(new DescribeTableCommand({ TableName: tableName }));
      }
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") {
        throw new CliError(`There is no table "${tableName}" at ${endpoint} (set TABLE_NAME to the service's table).`);
      }
      throw new CliError(`Cannot use the store: ${(error as Error).message}. ${storeHint(endpoint)}`);
    }
    return { store: createStore(documentClient, tableName), hasher, sites, endpoint, tableName, embedded: embedded !== null, close };
  } catch (error) {
    await close();
    throw error;
  }
}
