import type { FlagReason, SiteConfig, StoredComment } from "@comments/core";

/** The JSON body of a `comment.queued` webhook. Never carries an email, an IP or a hash. */
export interface QueuedNotification {
  type: "comment.queued";
  /** Same for every delivery of this event (retries included). */
  id: string;
  site: { id: string; name: string };
  comment: {
    id: string;
    threadId: string;
    status: StoredComment["status"];
    authorName: string;
    body: string;
    bodyHtml: string;
    createdAt: string;
    queuedAt: string | null;
    reasons: string[];
    details: string[];
    captchaScore: number | null;
    flags: number;
    flagReasons: Partial<Record<FlagReason, number>>;
  };
  /** The review page, when the sender knows where it is. */
  reviewUrl: string | null;
  /** Slack / Mattermost incoming-webhook text. */
  text: string;
}

const excerptLength = 280;

/** Builds the webhook body for a comment that just entered the moderation queue. */
export function queuedNotification(site: SiteConfig, comment: StoredComment, reviewUrl: string | null): QueuedNotification {
  return {
    type: "comment.queued",
    id: `${site.id}:${comment.id}:${comment.queuedAt ?? comment.createdAt}`,
    site: { id: site.id, name: site.name },
    comment: {
      id: comment.id,
      threadId: comment.threadId,
      status: comment.status,
      authorName: comment.authorName,
      body: comment.body,
      bodyHtml: comment.bodyHtml,
      createdAt: comment.createdAt,
      queuedAt: comment.queuedAt,
      reasons: comment.reasons,
      details: comment.details,
      captchaScore: comment.captchaScore,
      flags: comment.flags,
      flagReasons: comment.flagReasons,
    },
    reviewUrl,
    text: slackText(site, comment, reviewUrl),
  };
}

/** Plain words for why a comment is in the queue, flags counted per reason. */
export function queueReasons(comment: Pick<StoredComment, "reasons" | "details" | "flags" | "flagReasons">): string[] {
  const words = comment.reasons.flatMap((reason, index) => (reason === "reader_flags" ? [] : [comment.details[index] ?? reason.replaceAll("_", " ")]));
  if (comment.flags > 0) words.push(flagsInWords(comment.flags, comment.flagReasons));
  return words;
}

/** "flagged 3 times: spam (2), abuse (1)". */
export function flagsInWords(flags: number, reasons: Partial<Record<FlagReason, number>>): string {
  const counted = Object.entries(reasons)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${reason.replaceAll("_", " ")} (${count})`);
  return `flagged ${flags === 1 ? "once" : `${flags} times`}${counted.length > 0 ? `: ${counted.join(", ")}` : ""}`;
}

function slackText(site: SiteConfig, comment: StoredComment, reviewUrl: string | null): string {
  const body = comment.body.trim().replace(/\s+/g, " ");
  const excerpt = [...body].length > excerptLength ? `${[...body].slice(0, excerptLength).join("")}…` : body;
  const lines = [
    `Comment awaiting moderation on ${escapeText(site.name)} by ${escapeText(comment.authorName)} (thread ${escapeText(comment.threadId)})`,
    `> ${escapeText(excerpt)}`,
    `Why: ${escapeText(queueReasons(comment).join("; ") || "held for review")}`,
  ];
  if (reviewUrl) lines.push(`Review: ${reviewUrl}`);
  return lines.join("\n");
}

/**
 * Escapes reader-written text for Slack and Mattermost: `&`, `<`, `>` as Slack requires (no `<!channel>` or
 * forged links), and a zero-width space after `@` so a comment cannot mention `@channel` or a person.
 */
export function escapeText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("@", "@\u200B");
}
