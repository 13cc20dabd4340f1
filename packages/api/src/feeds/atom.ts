import type { FeedEntry } from "@comments/store";

/** What an Atom feed says about itself (RFC 4287 §4.1.1). */
export interface AtomFeedHead {
  /** The feed's own address: also its `atom:id` (stable and unique per feed). */
  selfUrl: string;
  title: string;
  /** The page the feed is about (the thread's page), when known. */
  alternateUrl: string | null;
  /** The feed-level author: Atom wants one when an entry could lack its own (and for an empty feed). */
  authorName: string;
  /** `atom:updated` when the feed has no entries. */
  emptyUpdated: string;
}

/** Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an XML element or a double-quoted attribute: markup escaped, forbidden characters dropped. */
export function xmlText(value: string): string {
  return value
    .replace(notXmlChar, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Plain text of a rendered body, shortened for an entry's title. */
function titleFrom(entry: FeedEntry): string {
  const text = entry.bodyHtml.replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  const words = text.replace(/\s+/g, " ").trim();
  const short = [...words].length > 80 ? `${[...words].slice(0, 79).join("")}…` : words;
  return `${entry.authorName}: ${short}`;
}

/**
 * An Atom 1.0 document (RFC 4287) of published comments, newest first. Each entry's id and link is the comment's
 * permalink; its content is the rendered body as escaped HTML (`type="html"`). Nothing but a comment's public
 * fields ever reaches a feed.
 */
export function atomFeed(head: AtomFeedHead, entries: readonly FeedEntry[], permalink: (entry: FeedEntry) => string): string {
  const updated = entries[0]?.createdAt ?? head.emptyUpdated;
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `<id>${xmlText(head.selfUrl)}</id>`,
    `<title>${xmlText(head.title)}</title>`,
    `<updated>${xmlText(updated)}</updated>`,
    `<author><name>${xmlText(head.authorName)}</name></author>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(head.selfUrl)}"/>`,
    ...(head.alternateUrl ? [`<link rel="alternate" type="text/html" href="${xmlText(head.alternateUrl)}"/>`] : []),
  ];
  for (const entry of entries) {
    const link = permalink(entry);
    lines.push(
      `<entry>`,
      `<id>${xmlText(link)}</id>`,
      `<title>${xmlText(titleFrom(entry))}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlText(link)}"/>`,
      `<author><name>${xmlText(entry.authorName)}</name></author>`,
      `<published>${xmlText(entry.createdAt)}</published>`,
      `<updated>${xmlText(entry.createdAt)}</updated>`,
      `<content type="html">${xmlText(entry.bodyHtml)}</content>`,
      `</entry>`,
    );
  }
  lines.push(`</feed>`);
  return `${lines.join("\n")}\n`;
}
