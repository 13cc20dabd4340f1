import type { CommentStatus } from "@comments/core";
import type { SourceEvent } from "./source.ts";
import { permalinkPath } from "./wxr-reader.ts";
import { streamXml, XmlFormatError } from "./xml-stream.ts";

/**
 * Where a Disqus thread's id comes from: its `disqus_identifier`, else its link's path (default); the link's
 * path, else the identifier; or Disqus's own numeric id.
 */
export type DisqusThreadFrom = "identifier" | "path" | "id";

/** Options for {@link readDisqus}. */
export interface DisqusReadOptions {
  threadFrom?: DisqusThreadFrom;
  onBytes?: (bytes: number) => void;
}

const threadFields = new Set(["id", "link", "isDeleted"]);
const postFields = new Set(["id", "message", "createdAt", "isDeleted", "isSpam", "isApproved", "thread", "parent"]);
const authorFields = new Set(["name", "email", "username", "isAnonymous"]);

/** A Disqus date (ISO 8601, often without a zone, meaning UTC) as ISO 8601 UTC, or null. */
export function disqusDate(value: string | undefined): string | null {
  const text = value?.trim() ?? "";
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) return null;
  const date = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === "true";

/**
 * Reads a Disqus XML export as a stream of source events. Threads come first in the file and give each post its
 * thread id; deleted posts are skipped, spam stays spam, unapproved posts are pending; authors without email are
 * fine (they are known by name). Replies may point anywhere in the file.
 */
export async function* readDisqus(file: string, options: DisqusReadOptions = {}): AsyncGenerator<SourceEvent> {
  const threadFrom = options.threadFrom ?? "identifier";
  /** dsq:id → our thread id (null: unusable), and whether Disqus deleted the thread. */
  const threads = new Map<string, { threadId: string | null; deleted: boolean }>();
  /** disqus_identifier → dsq:id, for posts that name their thread by identifier. */
  const byIdentifier = new Map<string, string>();
  let fields: Record<string, string> = {};
  let refs: Record<string, string> = {};
  let author: Record<string, string> = {};
  let dsqId = "";

  const where = (path: readonly string[]) => path.slice(1).join("/");

  yield* streamXml<SourceEvent>(
    file,
    {
      keepText(path) {
        const [, top, field, sub] = path;
        if (path.length === 3) return (top === "thread" && threadFields.has(field!)) || (top === "post" && postFields.has(field!));
        return path.length === 4 && top === "post" && field === "author" && authorFields.has(sub!);
      },
      open(tag, path) {
        if (path.length === 1 && tag.name !== "disqus") throw new XmlFormatError(`${file} is not a Disqus export (its root element is <${tag.name}>, not <disqus>)`);
        if (path.length === 2 && (tag.name === "thread" || tag.name === "post")) {
          fields = {};
          refs = {};
          author = {};
          dsqId = String(tag.attributes["dsq:id"] ?? "").trim();
        } else if (path.length === 3 && (where(path) === "post/thread" || where(path) === "post/parent")) {
          const ref = String(tag.attributes["dsq:id"] ?? "").trim();
          if (ref) refs[tag.name] = ref;
        }
      },
      close(name, text, path, emit) {
        if (path.length === 3) fields[name] = text;
        if (path.length === 4 && path[2] === "author") author[name] = text;
        if (path.length !== 2) return;

        if (name === "thread") {
          const identifier = fields.id?.trim() || null;
          const linkPath = permalinkPath(fields.link);
          const threadId = threadFrom === "id" ? dsqId || null : threadFrom === "path" ? (linkPath ?? identifier) : (identifier ?? linkPath);
          const key = dsqId || identifier;
          if (key) threads.set(key, { threadId, deleted: isTrue(fields.isDeleted) });
          if (identifier && dsqId) byIdentifier.set(identifier, dsqId);
          return;
        }
        if (name !== "post") return;

        const postId = dsqId || fields.id?.trim() || "";
        const sourceId = `disqus:${postId}`;
        const threadRef = refs.thread ?? fields.thread?.trim() ?? "";
        const thread = threads.get(threadRef) ?? threads.get(byIdentifier.get(threadRef) ?? "");
        let skip: string | null = null;
        if (!postId) skip = "post without id";
        else if (isTrue(fields.isDeleted)) skip = "deleted";
        else if (!thread) skip = "unknown thread";
        else if (thread.deleted) skip = "thread deleted";
        else if (thread.threadId === null) skip = "thread without identifier or link";
        if (skip !== null || !thread || thread.threadId === null) {
          emit({ kind: "skip", reason: skip ?? "unreadable", ...(postId ? { sourceId } : {}) });
          return;
        }
        const status: CommentStatus = isTrue(fields.isSpam) ? "spam" : fields.isApproved?.trim().toLowerCase() === "false" ? "pending" : "published";
        const parentRef = refs.parent ?? fields.parent?.trim() ?? "";
        emit({
          kind: "comment",
          comment: {
            sourceId,
            threadId: thread.threadId,
            parentSourceId: parentRef ? `disqus:${parentRef}` : null,
            author: {
              name: author.name?.trim() || author.username?.trim() || "",
              email: author.email?.trim() || null,
              url: null,
            },
            createdAt: disqusDate(fields.createdAt),
            content: { html: fields.message ?? "", preserveNewlines: false },
            status,
            details: status === "pending" ? ["Awaiting moderation in the Disqus export"] : status === "spam" ? ["Marked as spam in the Disqus export"] : [],
          },
        });
      },
    },
    options.onBytes,
  );
}
