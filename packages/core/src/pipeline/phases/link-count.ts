import { reasonDetails } from "../../reasons.ts";
import { countLinks } from "../../render.ts";
import type { Phase } from "../context.ts";

/** More links than the site's `maxLinks` (counted in the rendered HTML) queue the comment. */
export const linkCountPhase: Phase = ({ site, bodyHtml }) => {
  const links = countLinks(bodyHtml);
  return links > site.moderation.maxLinks
    ? { status: "pending", reason: "too_many_links", detail: reasonDetails.tooManyLinks(links, site.moderation.maxLinks) }
    : undefined;
};
