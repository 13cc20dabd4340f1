import { reasonDetails } from "../../reasons.ts";
import type { Phase } from "../context.ts";
import { findWords } from "./find-words.ts";

/** A site's `suspectWords` queue the comment for a moderator. */
export const suspectWordsPhase: Phase = ({ site, body }) => {
  const found = findWords(body, site.moderation.suspectWords);
  return found.length > 0 ? { status: "pending", reason: "suspect_words", detail: reasonDetails.suspectWords(found), aboutLanguage: true } : undefined;
};
