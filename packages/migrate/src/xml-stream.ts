import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { SaxesParser, type SaxesTagPlain } from "saxes";

/** Callbacks of an XML reader: element starts and ends with the text they hold. */
export interface XmlHandlers<T> {
  open(tag: SaxesTagPlain, path: readonly string[], emit: (value: T) => void): void;
  close(name: string, text: string, path: readonly string[], emit: (value: T) => void): void;
  /** Whether the text of the element at `path` is needed (text elsewhere is never kept in memory). */
  keepText(path: readonly string[]): boolean;
  /** Called once at the end of the document. */
  end?(emit: (value: T) => void): void;
}

/** A file that is not well-formed XML (line and column in the message). */
export class XmlFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlFormatError";
  }
}

/**
 * Streams an XML file through a SAX parser and yields what the handlers emit, one read chunk at a time: memory
 * stays bounded by the chunk and what the handlers keep, whatever the file size. `onBytes` receives the bytes read.
 */
export async function* streamXml<T>(file: string, handlers: XmlHandlers<T>, onBytes?: (bytes: number) => void): AsyncGenerator<T> {
  const parser = new SaxesParser({ fileName: file });
  const path: string[] = [];
  const texts: (string[] | null)[] = [];
  let ready: T[] = [];
  let failure: Error | null = null;
  const emit = (value: T) => void ready.push(value);

  parser.on("error", (error) => {
    failure ??= new XmlFormatError(`Not well-formed XML: ${error.message}`);
  });
  parser.on("opentag", (tag) => {
    path.push(tag.name);
    texts.push(handlers.keepText(path) ? [] : null);
    handlers.open(tag as SaxesTagPlain, path, emit);
  });
  const addText = (text: string) => texts.at(-1)?.push(text);
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", (tag) => {
    const text = texts.pop()?.join("") ?? "";
    handlers.close(tag.name, text, path, emit);
    path.pop();
  });

  const decoder = new StringDecoder("utf8");
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    parser.write(bytes === 0 && text.startsWith("\ufeff") ? text.slice(1) : text);
    bytes += chunk.length;
    if (failure) throw failure;
    onBytes?.(bytes);
    if (ready.length > 0) {
      const batch = ready;
      ready = [];
      yield* batch;
    }
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw failure;
  handlers.end?.(emit);
  yield* ready;
}
