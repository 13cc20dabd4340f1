import * as z from "zod";
import { fieldMessages, isId, limitSchema, threadIdSchema } from "@comments/core";
import { validate } from "../middleware/validate.ts";

/** `{threadId}` in the path. */
export const threadParam = validate({ param: { threadId: threadIdSchema } });

/** `{commentId}` in the path (an id that this service could not have made is simply not found: 404). */
export const commentIdParamSchema = z.string();

/** `?limit=` of paged routes: 1..100, default 50. */
export const limitQuery = validate({ query: { limit: limitSchema } });

/** A thread cursor is the base64url of the last comment id of the previous page; absent means the first page. */
export const threadCursorSchema = z
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
  });

/** `?cursor=` of a thread page. */
export const threadCursorQuery = validate({ query: { cursor: threadCursorSchema } });

/** The cursor of the page after the one that ended with comment `id`. */
export const encodeThreadCursor = (id: string | null) => (id === null ? null : Buffer.from(id).toString("base64url"));
