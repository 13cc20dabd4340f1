import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startDynamoDbLocal, type DynamoDbLocal } from "./dynamodb-local.ts";
import { loadOrCreateStoreCredentials, migrateSharedDatabase, storeDirOf, type StoreCredentials } from "./store-credentials.ts";

/** The embedded store of one installation, started with its credentials. */
export interface EmbeddedStore {
  local: DynamoDbLocal;
  endpoint: string;
  credentials: StoreCredentials;
  /** True when this start moved an earlier release's shared database to the installation's credentials. */
  migrated: boolean;
}

/**
 * The Java class-data archive kept beside the data (made on the first start, reused after). The name's version
 * changes when the way it is made does: v2 is made by a store that ran every request of the service.
 */
export const classDataArchiveOf = (dataDir: string) => join(dataDir, "dynamodb-local-v2.jsa");

/** Archives of earlier releases: `dynamodb-local.jsa` was made by a store whose first request failed. */
const earlierArchives = ["dynamodb-local.jsa", "dynamodb-local.jsa.partial"];

/**
 * Starts DynamoDB Local for `DATA_DIR` under the installation's credentials (created on first start; an earlier
 * release's shared database is migrated first). `classDataSharing` (what `npm start` uses) maps Java's classes
 * from an archive kept in `DATA_DIR`, made in the background on the first start. `null` runs in memory under
 * throw-away credentials. Imports nothing heavy, so `npm start` can call it before loading the app.
 */
export async function startEmbeddedStore(dataDir: string | null, options: { classDataSharing?: boolean } = {}): Promise<EmbeddedStore> {
  if (dataDir === null) {
    const credentials = { accessKeyId: `M${randomBytes(20).toString("hex").toUpperCase()}`, secretAccessKey: randomBytes(30).toString("base64url") };
    const local = await startDynamoDbLocal({ credentials });
    return { local, endpoint: local.endpoint, credentials, migrated: false };
  }
  const credentials = loadOrCreateStoreCredentials(dataDir);
  const storeDir = storeDirOf(dataDir);
  const migrated = migrateSharedDatabase(storeDir, credentials);
  if (options.classDataSharing) for (const name of earlierArchives) rmSync(join(dataDir, name), { force: true });
  const local = await startDynamoDbLocal({
    dataDir: storeDir,
    credentials,
    ...(options.classDataSharing ? { classDataArchive: classDataArchiveOf(dataDir) } : {}),
  });
  return { local, endpoint: local.endpoint, credentials, migrated };
}
