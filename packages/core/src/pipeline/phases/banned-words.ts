import { reasonDetails } from "../../reasons.ts";
import type { Phase } from "../context.ts";
import { findWords } from "./find-words.ts";

/** A site's `bannedWords` keep the comment as spam. */
export const bannedWordsPhase: Phase = ({ site, body }) => {
  const found = findWords(body, site.moderation.bannedWords);
  return found.length > 0 ? { status: "spam", reason: "banned_words", detail: reasonDetails.bannedWords(found) } : undefined;
};
