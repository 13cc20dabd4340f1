import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tablesVisibleTo } from "./dynamodb-local.ts";
import { startEmbeddedStore } from "./embedded-store.ts";
import { processUsing } from "./store-holder.ts";
import { localStoreCredentials, localStoreRegion, storeDirOf, type StoreCredentials } from "./store-credentials.ts";

/** Where a running local server advertises its embedded store's endpoint. */
export const endpointFile = (dataDir: string) => join(dataDir, "dynamodb.endpoint");

/** Records the embedded store's endpoint so command-line tools can share it while the server runs. */
export function advertiseEndpoint(dataDir: string, endpoint: string): () => void {
  const file = endpointFile(dataDir);
  writeFileSync(file, endpoint);
  return () => rmSync(file, { force: true });
}

/** Raised when the installation's store is held by a process that does not advertise it (nothing is started). */
export class LocalStoreInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalStoreInUseError";
  }
}

/** How a tool reached the store: an endpoint it was given, a running `npm start`'s store, or one it started. */
export type LocalStoreReach = "outside" | "shared" | "embedded";

/** The installation's store as a command-line tool reaches it. */
export interface LocalStoreEndpoint {
  endpoint: string;
  credentials: StoreCredentials;
  region: string;
  /** `DATA_DIR`, resolved (default .data). */
  dataDir: string;
  reach: LocalStoreReach;
  /** Stops the embedded store when this tool started it; otherwise nothing. */
  stop(): Promise<void>;
}

/**
 * The one local-store opener for command-line tools (moderator keys, imports, exports, data requests). Policy:
 *
 * 1. `DYNAMODB_ENDPOINT` set: that store (with the installation's credentials when `DATA_DIR` has them).
 * 2. Else a running `npm start` on the same `DATA_DIR` advertises its embedded store: **share it** (one store
 *    process, so the tool's writes are at once visible to the server and nothing is corrupted).
 * 3. Else, if another process still holds the store's files without advertising them (a server of an earlier
 *    release, a crashed server's Java): refuse ({@link LocalStoreInUseError}); two store processes on one
 *    database file would corrupt it.
 * 4. Else start the embedded store on `DATA_DIR` for the tool's run, stopped by {@link LocalStoreEndpoint.stop}.
 */
export async function openLocalStore(env: Record<string, string | undefined> = process.env): Promise<LocalStoreEndpoint> {
  const dataDir = resolve(env.DATA_DIR ?? ".data");
  const credentials = localStoreCredentials(dataDir);
  const reached = (endpoint: string, reach: LocalStoreReach): LocalStoreEndpoint => ({
    endpoint,
    credentials,
    region: localStoreRegion,
    dataDir,
    reach,
    stop: async () => undefined,
  });
  if (env.DYNAMODB_ENDPOINT) return reached(env.DYNAMODB_ENDPOINT, "outside");
  if (existsSync(endpointFile(dataDir))) {
    const advertised = readFileSync(endpointFile(dataDir), "utf8").trim();
    if (await answers(advertised, credentials)) return reached(advertised, "shared");
  }
  const storeDir = storeDirOf(dataDir);
  const holder = processUsing(storeDir);
  if (holder) {
    throw new LocalStoreInUseError(
      `The local store in ${storeDir} is in use by process ${holder.pid} (${holder.command || "unknown"}), which does not advertise it. ` +
        "Stop it and run this command again, or point DYNAMODB_ENDPOINT at that store.",
    );
  }
  const embedded = await startEmbeddedStore(dataDir);
  return {
    endpoint: embedded.endpoint,
    credentials: embedded.credentials,
    region: localStoreRegion,
    dataDir,
    reach: "embedded",
    stop: () => embedded.local.stop(),
  };
}

/** True when a store answers at `endpoint` (a stale endpoint file names a port nobody listens on). */
async function answers(endpoint: string, credentials: StoreCredentials): Promise<boolean> {
  return tablesVisibleTo(endpoint, credentials.accessKeyId).then(
    () => true,
    () => false,
  );
}
