import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { withoutClassPath, writeJarWithoutClassPath } from "../packages/local/src/jar-manifest.ts";
import { classDataJarOf, dynamoDbLocalHome, readManifest } from "../packages/local/src/jvm-launch.ts";
import { classDataArchiveOf, startEmbeddedStore } from "../packages/local/src/store-entry.ts";

const folders: string[] = [];
const tempFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), "class-data-"));
  folders.push(folder);
  return folder;
};
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

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

  it(
    "maps DynamoDB Local's own classes from the archive the first start made, on every later start",
    async () => {
      const dataDir = tempFolder();
      const first = await startEmbeddedStore(dataDir, { classDataSharing: true });
      await first.local.stop();
      // The archive is made in the background by a second store at the lowest priority: on a busy machine, minutes.
      const archive = classDataArchiveOf(dataDir);
      await vi.waitFor(
        () => {
          if (!existsSync(archive)) throw new Error(`no class-data archive in ${dataDir} yet`);
        },
        { timeout: 300_000, interval: 200 },
      );
      expect(existsSync(classDataJarOf(archive, dynamoDbLocalHome()))).toBe(true);

      // Java reports where each class came from; JAVA_TOOL_OPTIONS reaches the store's JVM without a test hook.
      const classLog = join(dataDir, "class-load.log");
      const before = process.env.JAVA_TOOL_OPTIONS;
      process.env.JAVA_TOOL_OPTIONS = `-Xlog:class+load:file=${classLog}`;
      let second;
      try {
        second = await startEmbeddedStore(dataDir, { classDataSharing: true });
      } finally {
        if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
        else process.env.JAVA_TOOL_OPTIONS = before;
      }
      await second.local.stop();

      const storeClasses = readFileSync(classLog, "utf8")
        .split("\n")
        .filter((line) => / software\.amazon\.dynamodb\.services\.local\./.test(line));
      const fromArchive = storeClasses.filter((line) => line.includes("source: shared objects file"));
      expect(storeClasses.find((line) => line.includes(".main.ServerRunner "))).toContain("source: shared objects file");
      // Nearly all of the store's classes come mapped from the archive (a few made at run time never can).
      expect(fromArchive.length).toBeGreaterThan(storeClasses.length * 0.9);
      // The archive was accepted as it is: no new one is being made.
      expect(existsSync(`${archive}.partial`)).toBe(false);
    },
    600_000,
  );
});
