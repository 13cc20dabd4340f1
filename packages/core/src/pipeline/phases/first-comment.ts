import { reasonDetails } from "../../reasons.ts";
import type { Phase } from "../context.ts";

/** On sites that pre-moderate first comments, an author with nothing published yet is queued. */
export const firstCommentPhase: Phase = ({ site, authorHasPublished }) =>
  site.moderation.premoderateFirstComment && !authorHasPublished
    ? { status: "pending", reason: "first_comment", detail: reasonDetails.firstComment() }
    : undefined;
