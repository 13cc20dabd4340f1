import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Credentials of the embedded store: DynamoDB Local keeps one database per access key id and region. */
export interface StoreCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The region every local client uses: part of the database's name, so it must never follow `AWS_REGION`. */
export const localStoreRegion = "us-east-1";

/** Credentials any client may use against a shared store (the test store, `DYNAMODB_ENDPOINT` without a data folder). */
export const sharedStoreCredentials: StoreCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/** Where the installation's store credentials live (mode 0600). */
export const credentialsFile = (dataDir: string) => join(dataDir, "dynamodb.credentials.json");

/** The embedded store's data folder inside `DATA_DIR`. */
export const storeDirOf = (dataDir: string) => join(dataDir, "dynamodb");

/** The installation's credentials from `DATA_DIR`, or null when this data folder has none (yet). */
export function readStoreCredentials(dataDir: string): StoreCredentials | null {
  const file = credentialsFile(dataDir);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<StoreCredentials>;
  if (typeof parsed.accessKeyId !== "string" || !/^[A-Za-z0-9]{16,128}$/.test(parsed.accessKeyId) || typeof parsed.secretAccessKey !== "string") {
    throw new Error(`${file} is not a valid credentials file; restore it from a backup (the store's data is kept under its access key id)`);
  }
  return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
}

/**
 * The credentials a command-line tool uses for a local endpoint: the installation's when `DATA_DIR` has them,
 * else the shared pair (a store started with `-sharedDb` accepts any).
 */
export function localStoreCredentials(dataDir: string): StoreCredentials {
  return readStoreCredentials(dataDir) ?? sharedStoreCredentials;
}

/**
 * The installation's credentials, created on first start: a random access key id (160 bits; DynamoDB Local
 * names the database file after it) and secret, kept in `DATA_DIR` readable by this user only.
 */
export function loadOrCreateStoreCredentials(dataDir: string): StoreCredentials {
  const existing = readStoreCredentials(dataDir);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const credentials = {
    accessKeyId: `L${randomBytes(20).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64url"),
  };
  // Written under a temporary name and renamed, so a crash never leaves half a file.
  const file = credentialsFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return credentials;
}

/** DynamoDB Local's file for the database shared by every client (`-sharedDb`, earlier releases). */
const sharedDatabase = "shared-local-instance.db";

/**
 * Moves the database of an earlier release (one shared by every client) to the installation's credentials,
 * once: a rename of the SQLite file and its journal files, so every item, index and TTL setting is kept as it
 * was. Does nothing when there is no shared database. Returns true when it moved one. The store must not be
 * running on `storeDir`.
 */
export function migrateSharedDatabase(storeDir: string, credentials: StoreCredentials): boolean {
  if (!existsSync(join(storeDir, sharedDatabase))) return false;
  const target = `${credentials.accessKeyId}_${localStoreRegion}.db`;
  if (existsSync(join(storeDir, target))) {
    throw new Error(
      `${storeDir} holds both a shared database (${sharedDatabase}, from an earlier release) and this installation's (${target}). ` +
        `Move ${sharedDatabase} out of the folder to keep the current data, or remove ${target} to migrate the shared one again.`,
    );
  }
  for (const name of readdirSync(storeDir)) {
    // The database and any journal SQLite left beside it (-journal, -wal, -shm) move together.
    if (name === sharedDatabase || name.startsWith(`${sharedDatabase}-`)) renameSync(join(storeDir, name), join(storeDir, name.replace(sharedDatabase, target)));
  }
  chmodSync(storeDir, 0o700);
  return true;
}
