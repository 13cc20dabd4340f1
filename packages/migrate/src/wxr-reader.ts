import type { CommentStatus } from "@comments/core";
import type { SourceEvent } from "./source.ts";
import { streamXml, XmlFormatError } from "./xml-stream.ts";

/** Where a WordPress post's thread id comes from: its permalink path (default), its slug or its numeric id. */
export type WordpressThreadFrom = "path" | "slug" | "id";

/** Options for {@link readWordpress}. */
export interface WordpressReadOptions {
  threadFrom?: WordpressThreadFrom;
  onBytes?: (bytes: number) => void;
}

const statusByApproval: Record<string, CommentStatus> = { "1": "published", approve: "published", "0": "pending", hold: "pending", spam: "spam" };
const skipByApproval: Record<string, string> = { trash: "in the trash", "post-trashed": "post in the trash" };
/** Comment types that are readers' comments; others (pingbacks, shop order notes, …) are not. */
const commentTypes = new Set(["", "comment", "review"]);
const itemFields = new Set(["link", "wp:post_id", "wp:post_name"]);
const channelFields = new Set(["wp:base_blog_url", "wp:base_site_url", "link"]);

/** `YYYY-MM-DD HH:MM:SS` (WordPress) as ISO 8601 UTC, or null for the zero date and anything unreadable. */
export function wordpressDate(value: string | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value?.trim() ?? "");
  if (!match || match[1] === "0000") return null;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A permalink's path (with its query, which plain permalinks like `/?p=12` need), as `location.pathname` shows it. */
export function permalinkPath(link: string | undefined): string | null {
  try {
    const url = new URL(link?.trim() ?? "");
    return url.pathname + url.search;
  } catch {
    return null;
  }
}

/**
 * Reads a WordPress WXR export (Tools → Export) as a stream of source events: each post's comments, then a
 * scope mark (replies never cross posts). Approved comments are published, held ones pending, spam stays spam;
 * trashed comments, pingbacks and trackbacks are skipped with a reason.
 */
export async function* readWordpress(file: string, options: WordpressReadOptions = {}): AsyncGenerator<SourceEvent> {
  const threadFrom = options.threadFrom ?? "path";
  const channel: Record<string, string> = {};
  let item: Record<string, string> = {};
  let comments: Record<string, string>[] = [];
  let comment: Record<string, string> = {};

  const parentOf = (path: readonly string[]) => path[path.length - 2];

  yield* streamXml<SourceEvent>(
    file,
    {
      keepText(path) {
        const name = path[path.length - 1] ?? "";
        const parent = parentOf(path);
        return (parent === "wp:comment" && name.startsWith("wp:comment_")) || (parent === "item" && itemFields.has(name)) || (parent === "channel" && channelFields.has(name));
      },
      open(tag, path) {
        if (path.length === 1 && tag.name !== "rss") throw new XmlFormatError(`${file} is not a WordPress export (its root element is <${tag.name}>, not <rss>)`);
        if (tag.name === "item" && parentOf(path) === "channel") {
          item = {};
          comments = [];
        } else if (tag.name === "wp:comment" && parentOf(path) === "item") {
          comment = {};
        }
      },
      close(name, text, path, emit) {
        const parent = parentOf(path);
        if (parent === "wp:comment") comment[name] = text;
        else if (parent === "item" && name !== "wp:comment") item[name] = text;
        else if (parent === "channel" && name !== "item") channel[name] = text;

        if (name === "wp:comment" && parent === "item") comments.push(comment);
        if (name !== "item" || parent !== "channel") return;

        const base = (channel["wp:base_blog_url"] || channel["wp:base_site_url"] || channel.link || "").trim();
        const threadId =
          threadFrom === "slug" ? item["wp:post_name"]?.trim() || null : threadFrom === "id" ? item["wp:post_id"]?.trim() || null : permalinkPath(item.link);
        for (const raw of comments) {
          const sourceId = `wordpress:${base}#${raw["wp:comment_id"]?.trim() ?? ""}`;
          const type = raw["wp:comment_type"]?.trim() ?? "";
          const approval = raw["wp:comment_approved"]?.trim() ?? "";
          const status = statusByApproval[approval];
          let skip: string | null = null;
          if (!commentTypes.has(type)) skip = type === "pingback" || type === "trackback" ? type : `comment type "${type}"`;
          else if (skipByApproval[approval]) skip = skipByApproval[approval]!;
          else if (!status) skip = `unknown approval "${approval}"`;
          else if (threadId === null) skip = `post without ${threadFrom === "path" ? "permalink" : threadFrom === "slug" ? "slug" : "id"}`;
          if (skip !== null || !status || threadId === null) {
            emit({ kind: "skip", reason: skip ?? "unreadable", sourceId });
            continue;
          }
          const parent = raw["wp:comment_parent"]?.trim() ?? "0";
          emit({
            kind: "comment",
            comment: {
              sourceId,
              threadId,
              parentSourceId: parent === "" || parent === "0" ? null : `wordpress:${base}#${parent}`,
              author: {
                name: raw["wp:comment_author"] ?? "",
                email: raw["wp:comment_author_email"]?.trim() || null,
                url: raw["wp:comment_author_url"]?.trim() || null,
              },
              createdAt: wordpressDate(raw["wp:comment_date_gmt"]) ?? wordpressDate(raw["wp:comment_date"]),
              content: { html: raw["wp:comment_content"] ?? "", preserveNewlines: true },
              status,
              details:
                status === "pending" ? ["Awaiting moderation in the WordPress export"] : status === "spam" ? ["Marked as spam in the WordPress export"] : [],
            },
          });
        }
        emit({ kind: "scope-end" });
      },
    },
    options.onBytes,
  );
}
