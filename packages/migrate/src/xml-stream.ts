import { SaxesParser, type SaxesTagPlain } from "saxes";
import { readText } from "./text-decoding.ts";

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
 * stays bounded by the chunk and what the handlers keep, whatever the file size. The file may be gzip-compressed and
 * in any encoding its XML declaration names (see `readText`). `onBytes` receives the bytes read from the file.
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

  for await (const text of readText(file, { kind: "xml", onBytes })) {
    parser.write(text);
    if (failure) throw failure;
    if (ready.length > 0) {
      const batch = ready;
      ready = [];
      yield* batch;
    }
  }
  parser.close();
  if (failure) throw failure;
  handlers.end?.(emit);
  yield* ready;
}
