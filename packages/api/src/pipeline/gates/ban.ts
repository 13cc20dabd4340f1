import { AppError, messages } from "@comments/core";
import type { Gate } from "../gate-context.ts";

/** A banned author (by author hash or IP hash) is refused: `403 author_banned`. */
export const banGate: Gate = ({ reads }) => {
  if (reads.ban) throw new AppError("author_banned", messages.authorBanned);
};
