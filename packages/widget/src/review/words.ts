import type { FlagReason, ModComment } from "@comments/core";
import { formatNumber, formatTime, language, words } from "./i18n.ts";

/** "flagged 3 times: spam (2), abuse (1)". */
export function flagsInWords(flags: number, reasons: Partial<Record<FlagReason, number>>): string {
  const counted = Object.entries(reasons)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${words().flagReasons[reason] ?? reason.replace(/_/g, " ")} (${formatNumber(count ?? 0)})`);
  return words().flaggedTimes(flags, counted.join(language() === "fa" ? "، " : ", "));
}

/**
 * Why a comment waits for a decision, in plain words: in English each reason's detail from post time ("captcha
 * score 0.52 below 0.7", "3 links (more than 2)", "suspect word: casino"; the API writes them in English), in
 * other languages the reason's own words; reader flags counted per reason.
 */
export function reasonsInWords(comment: Pick<ModComment, "reasons" | "details" | "flags" | "flagReasons">): string[] {
  const table = words().reasonWords;
  const list = comment.reasons.flatMap((reason, index) => {
    if (reason === "reader_flags") return [];
    const detail = language() === "en" ? comment.details[index] : "";
    return [detail || table[reason] || reason.replace(/_/g, " ")];
  });
  if (comment.flags > 0) list.push(flagsInWords(comment.flags, comment.flagReasons));
  return list;
}

/** True for a published comment that readers flagged into the queue (approving it dismisses the flags). */
export const isFlaggedPublished = (comment: Pick<ModComment, "status">) => comment.status === "published";

/** A date a person reads, in the page's language; the ISO value stays in the `datetime` attribute. */
export const readableTime = formatTime;
