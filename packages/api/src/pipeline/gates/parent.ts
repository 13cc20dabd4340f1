import { AppError, messages } from "@comments/core";
import type { Gate } from "../gate-context.ts";

/** A reply must name a published comment of the same thread: else `404 parent_not_found`. */
export const parentGate: Gate = async ({ store, site, threadId, input }) => {
  const parentId = input.parentId ?? null;
  if (parentId !== null && !(await store.getPublishedComment(site.id, threadId, parentId))) {
    throw new AppError("parent_not_found", messages.parentNotFound);
  }
};
