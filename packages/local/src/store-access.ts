import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClients, createStore, ensureTable, type Store } from "@comments/store";
import { tablesVisibleTo } from "./dynamodb-local.ts";
import { startEmbeddedStore, type EmbeddedStore } from "./embedded-store.ts";
import { localStoreCredentials, localStoreRegion, type StoreCredentials } from "./store-credentials.ts";

/** Where a running local server advertises its embedded store's endpoint. */
export const endpointFile = (dataDir: string) => join(dataDir, "dynamodb.endpoint");

/** Records the embedded store's endpoint so command-line tools can share it while the server runs. */
export function advertiseEndpoint(dataDir: string, endpoint: string): () => void {
  const file = endpointFile(dataDir);
  writeFileSync(file, endpoint);
  return () => rmSync(file, { force: true });
}

/** An open store for command-line tools. */
export interface StoreAccess {
  store: Store;
  client: ReturnType<typeof createClients>;
  tableName: string;
  endpoint: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Opens the local store for a command-line tool: `DYNAMODB_ENDPOINT` if set, else the store of a running
 * `npm start` (same `DATA_DIR`), else the embedded store started on `DATA_DIR` for the duration of the tool.
 */
export async function openLocalStore(env: Record<string, string | undefined> = process.env): Promise<StoreAccess> {
  const dataDir = resolve(env.DATA_DIR ?? ".data");
  const tableName = env.TABLE_NAME ?? "comments";
  let embedded: EmbeddedStore | null = null;
  let endpoint = env.DYNAMODB_ENDPOINT;
  let credentials: StoreCredentials = localStoreCredentials(dataDir);
  if (!endpoint && existsSync(endpointFile(dataDir))) {
    const advertised = readFileSync(endpointFile(dataDir), "utf8").trim();
    if (await answers(advertised, credentials)) endpoint = advertised;
  }
  if (!endpoint) {
    embedded = await startEmbeddedStore(dataDir);
    endpoint = embedded.endpoint;
    credentials = embedded.credentials;
  }
  const client = createClients({ endpoint, credentials, region: localStoreRegion });
  await ensureTable(client.client, tableName);
  return {
    store: createStore(client.documentClient, tableName),
    client,
    tableName,
    endpoint,
    dataDir,
    async close() {
      client.client.destroy();
      await embedded?.local.stop();
    },
  };
}

/**
 * Opens a deployed table on AWS (credentials and region from the usual AWS environment), for command-line
 * tools run against a stage: `--aws --table <name>`.
 */
export async function openAwsStore(tableName: string): Promise<StoreAccess> {
  const client = createClients({});
  return {
    store: createStore(client.documentClient, tableName),
    client,
    tableName,
    endpoint: "aws",
    dataDir: "",
    async close() {
      client.client.destroy();
    },
  };
}

/** True when a store answers at `endpoint` (a stale endpoint file names a port nobody listens on). */
async function answers(endpoint: string, credentials: StoreCredentials): Promise<boolean> {
  return tablesVisibleTo(endpoint, credentials.accessKeyId).then(
    () => true,
    () => false,
  );
}
