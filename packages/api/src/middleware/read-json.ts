import type { Context } from "hono";
import { AppError } from "@comments/core";

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
    throw new AppError("invalid_json", "The request body is not valid UTF-8 JSON.");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
}

const tooLarge = () => new AppError("payload_too_large", `The request body is larger than ${maxBodyBytes} bytes.`);
