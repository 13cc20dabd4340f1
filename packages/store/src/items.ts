/**
 * Comment item conversion for readers of raw items (stream consumers, invariant checks, bench seeding).
 * The comment entity (`entities/comment.ts`) owns them.
 */
export { commentToItem, itemToComment, itemToPublicComment } from "./entities/comment.ts";
export type { Item } from "./entities/item.ts";
