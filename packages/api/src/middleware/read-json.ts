import type { Context } from "hono";
import { AppError, fieldMessages, messages, validationFailed } from "@comments/core";

/** Largest request body accepted, in bytes. */
export const maxBodyBytes = 32_768;

/**
 * Reads a JSON request body: over {@link maxBodyBytes} is `413 payload_too_large`, unparsable is
 * `400 invalid_json`.
 */
export async function readJson(c: Context): Promise<unknown> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBodyBytes) throw tooLarge();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > maxBodyBytes) throw tooLarge();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid_json", messages.invalidUtf8Json);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_json", messages.invalidJson);
  }
  // Deeply nested JSON would overflow the stack of anything recursive downstream (request hashing).
  if (nestingDepth(text) > maxNesting) {
    throw validationFailed({ request: fieldMessages.jsonTooDeep(maxNesting) });
  }
  // Escaped lone surrogates ("\ud800") parse fine but are not text DynamoDB can store.
  if (!wellFormed(value)) {
    throw validationFailed({ request: fieldMessages.loneSurrogate });
  }
  return value;
}

/** True when every string (keys included) in a parsed JSON value is well-formed UTF-16. */
function wellFormed(value: unknown): boolean {
  if (typeof value === "string") return value.isWellFormed();
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value && typeof value === "object") return Object.entries(value).every(([key, item]) => key.isWellFormed() && wellFormed(item));
  return true;
}

/** Deepest nesting of arrays and objects accepted in a request body. */
const maxNesting = 64;

/** Deepest nesting of arrays and objects in valid JSON text (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") deepest = Math.max(deepest, ++depth);
    else if (char === "]" || char === "}") depth--;
  }
  return deepest;
}

const tooLarge = () => new AppError("payload_too_large", messages.payloadTooLarge(maxBodyBytes));
