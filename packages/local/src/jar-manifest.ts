import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { crc32, inflateRawSync } from "node:zlib";

const localHeader = 0x04034b50;
const centralHeader = 0x02014b50;
const endOfCentralDirectory = 0x06054b50;
const manifestName = "META-INF/MANIFEST.MF";

/** One central-directory record of a zip file. */
interface CentralEntry {
  /** Where the record starts in the file. */
  at: number;
  /** Its whole length (fixed part, name, extra field, comment). */
  length: number;
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory of a zip file (no zip64: DynamoDB Local's jar is a few MB with about a thousand entries). */
function centralDirectory(zip: Buffer): { entries: CentralEntry[]; offset: number; end: number } {
  let end = -1;
  // The end record is the last 22 bytes, unless a comment (at most 64 KiB) follows it.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === endOfCentralDirectory) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip file: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  const offset = zip.readUInt32LE(end + 16);
  const entries: CentralEntry[] = [];
  for (let at = offset, index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== centralHeader) throw new Error(`damaged zip file: central record ${index} not found`);
    const nameLength = zip.readUInt16LE(at + 28);
    const length = 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    entries.push({
      at,
      length,
      name: zip.toString("utf8", at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += length;
  }
  return { entries, offset, end };
}

/** The uncompressed bytes of one entry. */
function entryData(zip: Buffer, entry: CentralEntry): Buffer {
  if (zip.readUInt32LE(entry.localOffset) !== localHeader) throw new Error(`damaged zip file: ${entry.name} not found`);
  const start = entry.localOffset + 30 + zip.readUInt16LE(entry.localOffset + 26) + zip.readUInt16LE(entry.localOffset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
}

/** Removes the `Class-Path` attribute (with its continuation lines) from a manifest's text. */
export function withoutClassPath(manifest: string): string {
  return manifest.replace(/^Class-Path:.*\r?\n(?: .*\r?\n)*/m, "");
}

/**
 * Writes a copy of the jar at `source` to `target` whose manifest has no `Class-Path` attribute; every other
 * entry is copied byte for byte. Why: DynamoDB Local's manifest lists its native libraries (`.so`, `.dylib`,
 * `.dll`) as class-path entries, and Java's class-data sharing, which records them as missing jars when it makes
 * an archive, then turns off every archived application class when it finds those files present. The caller
 * gives the class path explicitly. The file appears under `target` only once complete.
 */
export function writeJarWithoutClassPath(source: string, target: string): void {
  const zip = readFileSync(source);
  const { entries, offset, end } = centralDirectory(zip);
  const manifest = entries.find((entry) => entry.name === manifestName);
  if (!manifest) throw new Error(`${source} has no ${manifestName}`);
  const text = Buffer.from(withoutClassPath(entryData(zip, manifest).toString("utf8")), "utf8");
  const name = Buffer.from(manifestName, "utf8");
  const crc = crc32(text);

  // The new manifest entry, stored uncompressed, with its sizes in the header (no trailing data descriptor).
  const header = Buffer.alloc(30);
  header.writeUInt32LE(localHeader, 0);
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
  header.writeUInt16LE(0, 8); // stored
  header.writeUInt32LE(zip.readUInt32LE(manifest.at + 12), 10); // the original's time and date
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(text.length, 18);
  header.writeUInt32LE(text.length, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  const newLocal = Buffer.concat([header, name, text]);

  // Copy the local records as byte ranges in file order, swapping the manifest's for the new one.
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  const parts: Buffer[] = [];
  const newOffsets = new Map<CentralEntry, number>();
  let written = 0;
  byOffset.forEach((entry, index) => {
    const next = index + 1 < byOffset.length ? byOffset[index + 1]!.localOffset : offset;
    const part = entry === manifest ? newLocal : zip.subarray(entry.localOffset, next);
    newOffsets.set(entry, written);
    parts.push(part);
    written += part.length;
  });

  const centralStart = written;
  for (const entry of entries) {
    let record = Buffer.from(zip.subarray(entry.at, entry.at + entry.length));
    if (entry === manifest) {
      record = Buffer.concat([record.subarray(0, 46), name]); // no extra field, no comment
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(0x0800, 8);
      record.writeUInt16LE(0, 10);
      record.writeUInt32LE(crc, 16);
      record.writeUInt32LE(text.length, 20);
      record.writeUInt32LE(text.length, 24);
      record.writeUInt16LE(name.length, 28);
      record.writeUInt16LE(0, 30);
      record.writeUInt16LE(0, 32);
    }
    record.writeUInt32LE(newOffsets.get(entry)!, 42);
    parts.push(record);
    written += record.length;
  }
  const tail = Buffer.from(zip.subarray(end));
  tail.writeUInt32LE(written - centralStart, 12);
  tail.writeUInt32LE(centralStart, 16);
  parts.push(tail);

  const partial = `${target}.partial`;
  writeFileSync(partial, Buffer.concat(parts));
  renameSync(partial, target);
}
