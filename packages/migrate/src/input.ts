import { accessSync, constants, createReadStream, statSync } from "node:fs";
import { createGunzip } from "node:zlib";

/** A file that cannot be read as given (missing, a directory, compressed in an unknown way, damaged), with the reason. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * Checks that `file` exists, is a regular file and can be read, and returns its size. Done before anything else
 * starts (the store, a progress bar), so a wrong path costs nothing.
 */
export function checkInputFile(file: string): number {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`Cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message}`);
  }
  if (stats.isDirectory()) throw new InputError(`Cannot read ${file}: it is a directory, not a file`);
  if (!stats.isFile()) throw new InputError(`Cannot read ${file}: it is not a regular file`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new InputError(`Cannot read ${file}: permission denied`);
  }
  return stats.size;
}

/** Compressions told apart by their first bytes (magic numbers); only gzip is read, the others are named. */
const signatures: { name: string; bytes: number[]; unpack: string }[] = [
  { name: "gzip", bytes: [0x1f, 0x8b], unpack: "gunzip -k" },
  { name: "bzip2", bytes: [0x42, 0x5a, 0x68], unpack: "bunzip2 -k" },
  { name: "xz", bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], unpack: "unxz -k" },
  { name: "zstd", bytes: [0x28, 0xb5, 0x2f, 0xfd], unpack: "unzstd" },
  { name: "zip", bytes: [0x50, 0x4b, 0x03, 0x04], unpack: "unzip" },
  { name: "7z", bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], unpack: "7z x" },
];

/** The compression a file's first bytes announce, or null for none. */
export function detectCompression(head: Uint8Array): (typeof signatures)[number] | null {
  return signatures.find((signature) => signature.bytes.every((byte, index) => head[index] === byte)) ?? null;
}

/** The first `count` bytes of a file (fewer when it is shorter). */
async function firstBytes(file: string, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: count - 1 }) as AsyncIterable<Buffer>) {
    parts.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(parts, length);
}

/**
 * The bytes of a file, decompressed when it is gzip (recognised by its content, whatever its name), one chunk at a
 * time: memory stays bounded by the chunk size. `onBytes` receives the bytes read from the file itself (compressed),
 * which is what a progress bar over the file size needs. Other compressions are refused with their name.
 */
export async function* readBytes(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const compression = detectCompression(await firstBytes(file, 8));
  if (compression && compression.name !== "gzip") {
    throw new InputError(
      `${file} is compressed with ${compression.name}, which cannot be read here: decompress it first (for example \`${compression.unpack} ${file}\`) and import the result.`,
    );
  }
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  let read = 0;
  if (!compression) {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      read += chunk.length;
      onBytes?.(read);
      yield chunk;
    }
    return;
  }
  // pipe() reads in flowing mode, so counting on "data" sees every compressed chunk once.
  raw.on("data", (chunk: Buffer | string) => {
    read += chunk.length;
    onBytes?.(read);
  });
  const gunzip = createGunzip();
  raw.on("error", (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code?.startsWith("Z_")) {
      throw new InputError(`${file} is gzip-compressed but damaged or cut off (${(error as Error).message}): download it again.`);
    }
    throw error;
  } finally {
    raw.destroy();
  }
}
