import { AppError } from "@comments/core";
import type { Item } from "./entities/item.ts";

/**
 * The one codec for page cursors of the store's lists (queue, audit log): the last key DynamoDB evaluated,
 * as opaque text. Version 1 is `1.<base64url JSON>`; cursors handed out before versioning (bare base64url)
 * still read. A cursor is only accepted for the partition it was made for.
 */

const currentVersion = "1";

/** The cursor for the page after `lastKey`, or null when there is none. */
export function encodeCursor(lastKey: Item | undefined): string | null {
  return lastKey ? `${currentVersion}.${Buffer.from(JSON.stringify(lastKey)).toString("base64url")}` : null;
}

/** The key a cursor stands for; anything we did not hand out for `partition` is `400 validation_failed`. */
export function decodeCursor(cursor: string, partition: string): Item {
  const dot = cursor.indexOf(".");
  const [version, payload] = dot === -1 ? ["0", cursor] : [cursor.slice(0, dot), cursor.slice(dot + 1)];
  if (version === "0" || version === currentVersion) {
    const key = parseKey(payload);
    if (key && Object.values(key).includes(partition)) return key;
  }
  throw new AppError("validation_failed", "Invalid cursor", { fields: { cursor: "Invalid cursor" } });
}

function parseKey(payload: string): Item | null {
  try {
    const key = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    if (!key || typeof key !== "object" || Array.isArray(key)) return null;
    const values = Object.values(key);
    return values.length >= 2 && values.length <= 4 && values.every((v) => typeof v === "string") ? (key as Item) : null;
  } catch {
    return null;
  }
}
