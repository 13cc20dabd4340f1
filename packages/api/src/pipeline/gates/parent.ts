import { AppError, messages } from "@comments/core";
import type { Gate } from "../gate-context.ts";

/** A reply must name a published comment of the same thread: else `404 parent_not_found`. */
export const parentGate: Gate = async (context) => {
  const { store, site, threadId, input } = context;
  const parentId = input.parentId ?? null;
  if (parentId === null) return;
  const parent = await store.getPublishedComment(site.id, threadId, parentId);
  if (!parent) throw new AppError("parent_not_found", messages.parentNotFound);
  // Replies of replies belong to their root's sub-thread (read here, so the post needs no second look).
  if (parent.rootId !== undefined) context.rootId = parent.rootId ?? parent.id;
};
