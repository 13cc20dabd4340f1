import iconv from "iconv-lite";
import { InputError, readBytes } from "./input.ts";

/** How a file's bytes become text: the encoding used and where that came from (for messages). */
export interface TextEncoding {
  /** The decoder's name (`utf-8`, `utf-16le`, `windows-1252`, …). */
  name: string;
  /** What the file said: its byte order mark, its XML declaration, or nothing (UTF-8 by default). */
  from: "bom" | "declaration" | "default";
  /** The label as the file wrote it, for messages. */
  label: string;
}

/**
 * Labels read as Windows-1252, as browsers do (WHATWG Encoding Standard): blogs that declare ISO-8859-1 very often
 * hold Windows-1252 curly quotes and dashes (0x80–0x9F), which strict Latin-1 would turn into control characters.
 */
const windows1252Labels = new Set(["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819", "ibm819", "us-ascii", "ascii", "iso-ir-100", "windows-1252", "cp1252", "x-cp1252"]);
const utf8Labels = new Set(["utf-8", "utf8", "unicode-1-1-utf-8"]);

/** How many bytes are looked at to find the byte order mark and the XML declaration. */
const sniffBytes = 1024;

/** The XML declaration's encoding, read from the start of a file in an ASCII-compatible encoding. */
function declaredEncoding(head: Buffer): string | null {
  const match = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._:-]*)\1/.exec(head.toString("latin1"));
  return match ? match[2]! : null;
}

/**
 * The encoding of a file from its first bytes (XML 1.0 appendix F): a byte order mark wins; XML without one may
 * be UTF-16 recognised by its `<?` or name its encoding in its declaration; anything else is UTF-8. JSON has no
 * declaration (RFC 8259: UTF-8), but a byte order mark is honoured (Windows tools write UTF-16 with one).
 */
export function detectEncoding(head: Buffer, kind: "xml" | "json", file: string): TextEncoding {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0xef, 0xbb, 0xbf)) return { name: "utf-8", from: "bom", label: "UTF-8" };
  if (starts(0xff, 0xfe)) return { name: "utf-16le", from: "bom", label: "UTF-16LE" };
  if (starts(0xfe, 0xff)) return { name: "utf-16be", from: "bom", label: "UTF-16BE" };
  if (kind === "json") return { name: "utf-8", from: "default", label: "UTF-8" };
  if (starts(0x3c, 0x00, 0x3f, 0x00)) return { name: "utf-16le", from: "declaration", label: "UTF-16LE" };
  if (starts(0x00, 0x3c, 0x00, 0x3f)) return { name: "utf-16be", from: "declaration", label: "UTF-16BE" };

  const label = declaredEncoding(head);
  if (label === null) return { name: "utf-8", from: "default", label: "UTF-8" };
  const lower = label.toLowerCase();
  if (utf8Labels.has(lower)) return { name: "utf-8", from: "declaration", label };
  if (windows1252Labels.has(lower)) return { name: "windows-1252", from: "declaration", label };
  if (/^(utf-?16|utf-?32|ucs-?2|ucs-?4)/.test(lower)) {
    throw new InputError(`${file} declares the encoding "${label}", but its bytes are not in it (no byte order mark, and the declaration itself is 8-bit text). Fix the declaration to name the file's real encoding.`);
  }
  if (!iconv.encodingExists(lower)) {
    throw new InputError(
      `${file} declares the encoding "${label}", which cannot be read here. Convert the file to UTF-8 ` +
        `(for example \`iconv -f ${label} -t UTF-8 ${file} > export-utf8.xml\`), change its declaration to encoding="UTF-8", and import that.`,
    );
  }
  return { name: lower, from: "declaration", label };
}

/** Index of the first byte that breaks UTF-8 in `bytes`, or -1 (an unfinished sequence at the end is not an error). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return -1;
      const next = bytes[i + k]!;
      const low = k === 1 && byte === 0xe0 ? 0xa0 : k === 1 && byte === 0xf0 ? 0x90 : 0x80;
      const high = k === 1 && byte === 0xed ? 0x9f : k === 1 && byte === 0xf4 ? 0x8f : 0xbf;
      if (next < low || next > high) return i;
    }
    i += length;
  }
  return -1;
}

function invalidUtf8(file: string, encoding: TextEncoding, offset: number, byte: number | undefined): InputError {
  const said =
    encoding.from === "default" ? "declares no encoding, which means UTF-8" : `declares the encoding "${encoding.label}"`;
  return new InputError(
    `${file} is not valid UTF-8: byte ${offset} is 0x${(byte ?? 0).toString(16).toUpperCase().padStart(2, "0")}. The file ${said}; ` +
      `if the site used another character set (for example Windows-1252 or ISO-8859-1), name it in the XML declaration ` +
      `(<?xml version="1.0" encoding="windows-1252"?>) and import again.`,
  );
}

/** How many bytes at the end of `bytes` start a UTF-8 sequence that the next chunk finishes. */
function unfinishedTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte >= 0x80 && byte <= 0xbf) continue; // a continuation byte: look further back for its lead byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

interface Decoder {
  write(chunk: Buffer): string;
  end(): string | undefined;
}

/** A strict UTF-8 decoder that names the first bad byte (a wrong encoding must not import as mangled text). */
function utf8Decoder(file: string, encoding: TextEncoding): Decoder {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let offset = 0;
  let carry = Buffer.alloc(0);
  return {
    write(chunk) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        const joined = chunk.length >= 4 ? chunk : Buffer.concat([carry, chunk]);
        carry = Buffer.from(joined.subarray(joined.length - unfinishedTail(joined)));
        offset += chunk.length;
        return text;
      } catch {
        const bytes = Buffer.concat([carry, chunk]);
        const index = Math.max(0, firstInvalidUtf8(bytes));
        throw invalidUtf8(file, encoding, offset - carry.length + index, bytes[index]);
      }
    },
    end() {
      try {
        return decoder.decode();
      } catch {
        throw invalidUtf8(file, encoding, offset - carry.length, carry[0]);
      }
    },
  };
}

function decoderFor(head: Buffer, kind: "xml" | "json", file: string, onEncoding?: (encoding: TextEncoding) => void): Decoder {
  const encoding = detectEncoding(head, kind, file);
  onEncoding?.(encoding);
  // Both decoders drop a byte order mark.
  return encoding.name === "utf-8" ? utf8Decoder(file, encoding) : iconv.getDecoder(encoding.name);
}

/**
 * The text of an import file, one decoded chunk at a time: decompressed when gzip (see {@link readBytes}), decoded
 * from the encoding its byte order mark or XML declaration names (see {@link detectEncoding}), byte order mark
 * removed. Invalid UTF-8 is refused with the offset of the first bad byte rather than imported as replacement
 * characters. `onEncoding` is told the encoding once it is known.
 */
export async function* readText(
  file: string,
  options: { kind: "xml" | "json"; onBytes?: (bytes: number) => void; onEncoding?: (encoding: TextEncoding) => void },
): AsyncGenerator<string> {
  let head = Buffer.alloc(0);
  let decoder: Decoder | undefined;
  for await (const chunk of readBytes(file, options.onBytes)) {
    let bytes = chunk;
    if (!decoder) {
      head = Buffer.concat([head, chunk]);
      if (head.length < sniffBytes) continue;
      decoder = decoderFor(head, options.kind, file, options.onEncoding);
      bytes = head;
    }
    const text = decoder.write(bytes);
    if (text) yield text;
  }
  if (!decoder) {
    decoder = decoderFor(head, options.kind, file, options.onEncoding);
    const text = decoder.write(head);
    if (text) yield text;
  }
  const last = decoder.end();
  if (last) yield last;
}
