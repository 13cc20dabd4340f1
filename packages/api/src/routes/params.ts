import * as z from "zod";
import { fieldMessages, isId, limitSchema, sortSchema, threadIdSchema, threadSorts, type ThreadSort } from "@comments/core";
import { validate } from "../middleware/validate.ts";

/** `{threadId}` in the path. */
export const threadParam = validate({ param: { threadId: threadIdSchema } });

/** `{commentId}` in the path (an id that this service could not have made is simply not found: 404). */
export const commentIdParamSchema = z.string();

/** `?limit=` of paged routes: 1..100, default 50. */
export const limitQuery = validate({ query: { limit: limitSchema } });

/** Where a thread page starts: after top-level comment `rootId` in `sort` order (`topKey`: its place in `top`). */
export interface ThreadCursor {
  sort: ThreadSort;
  rootId: string;
  topKey?: string;
}

const cursorVersion = "2.";

/**
 * Thread cursors: `2.<base64url JSON {s, r, k?}>` (sort, last root shown, its top key). Cursors of the flat
 * pages before sorting existed (the base64url of the last comment id) still read, as `oldest` pages.
 */
function decodeThreadCursor(raw: string): ThreadCursor | null {
  if (raw.startsWith(cursorVersion)) {
    try {
      const value = JSON.parse(Buffer.from(raw.slice(cursorVersion.length), "base64url").toString("utf8")) as { s?: unknown; r?: unknown; k?: unknown };
      if (!(threadSorts as readonly unknown[]).includes(value.s) || typeof value.r !== "string" || !isId(value.r)) return null;
      if (value.k !== undefined && (typeof value.k !== "string" || !/^\d{9}#[A-Za-z0-9]{1,64}$/.test(value.k))) return null;
      return { sort: value.s as ThreadSort, rootId: value.r, ...(typeof value.k === "string" ? { topKey: value.k } : {}) };
    } catch {
      return null;
    }
  }
  const id = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? Buffer.from(raw, "base64url").toString("utf8") : "";
  return isId(id) ? { sort: "oldest", rootId: id } : null;
}

/** A thread cursor; absent means the first page. */
export const threadCursorSchema = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return null;
    const cursor = decodeThreadCursor(raw);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: fieldMessages.cursorInvalid });
      return z.NEVER;
    }
    return cursor;
  });

/** `?cursor=` of a thread page. */
export const threadCursorQuery = validate({ query: { cursor: threadCursorSchema } });

/** The cursor of the page after the one that ended with root `rootId`. */
export const encodeThreadCursor = (position: ThreadCursor | null) =>
  position === null ? null : `${cursorVersion}${Buffer.from(JSON.stringify({ s: position.sort, r: position.rootId, ...(position.topKey ? { k: position.topKey } : {}) })).toString("base64url")}`;

/** `?around=<commentId>`: the page holding that comment. */
const aroundSchema = z
  .string()
  .optional()
  .refine((value) => value === undefined || isId(value), fieldMessages.aroundInvalid);

/** `?sort=` and `?around=` of a thread page. */
export const sortQuery = validate({ query: { sort: sortSchema, around: aroundSchema } });

/** A replies cursor is the base64url of the last reply id shown; absent means right after the thread page's replies. */
export const repliesCursorQuery = validate({
  query: {
    cursor: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return null;
        const id = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? Buffer.from(raw, "base64url").toString("utf8") : "";
        if (!isId(id)) {
          ctx.addIssue({ code: "custom", message: fieldMessages.cursorInvalid });
          return z.NEVER;
        }
        return id;
      }),
  },
});

/** The replies cursor after reply `id`. */
export const encodeRepliesCursor = (id: string | null) => (id === null ? null : Buffer.from(id).toString("base64url"));
