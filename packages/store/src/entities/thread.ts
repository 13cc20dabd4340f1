import { headerUpdate, type Item, type WriteItem } from "./item.ts";

/**
 * Thread items (`T#<site>#<thread>` / `C`): a thread's counters. The thread's comments share its partition,
 * so the first page of a thread is one Query over the range `C` … `C$` (see `comment.ts`).
 */

/** A thread's stored counters. */
export interface ThreadRecord {
  siteId: string;
  threadId: string;
  commentCount: number;
  /** Changes whenever the published set changes; the ETag is built from it. */
  version: number;
  firstCommentAt: string | null;
  /** The page the thread lives on, as its latest post reported it. */
  url: string | null;
  title: string | null;
  /** Public fields (see `page.ts`) of up to 3 featured comments, most recently featured first. */
  featured: Item[];
}

interface ThreadRef {
  siteId: string;
  threadId: string;
}

/** Sort key of the thread item; also the lower bound of a thread page's key range. */
const threadSortKey = "C";

/** gsi3sk / gsi4sk of the thread item: the head of the newest order (read backwards) and the top order (forwards). */
export const threadSortHeads = { newest: "~", top: "!" } as const;

/** The partition of a thread: its item, comments and flags. */
export const threadPartition = ({ siteId, threadId }: ThreadRef) => `T#${siteId}#${threadId}`;

/** The start of every thread partition of a site (for the Scan that lists a site's threads). */
export const siteThreadsPrefix = ({ siteId }: { siteId: string }) => threadPartition({ siteId, threadId: "" });

/** The key of the thread item. */
export const threadKey = (ref: ThreadRef) => ({ pk: threadPartition(ref), sk: threadSortKey });

/** The sort-key range of a thread page: the thread item, then published comments ("$" sorts right after "#"). */
export const threadPageRange = { from: threadSortKey, to: `${threadSortKey}$` } as const;

/** True for the thread item among the items of a thread partition. */
export const isThreadItem = (item: Item) => item.sk === threadSortKey;

/** Reads a thread item; a thread without one has no comments yet. */
export function itemToThread(item: Item | undefined, ref: ThreadRef): ThreadRecord {
  return {
    siteId: ref.siteId,
    threadId: ref.threadId,
    commentCount: typeof item?.commentCount === "number" ? item.commentCount : 0,
    version: typeof item?.version === "number" ? item.version : 0,
    firstCommentAt: typeof item?.firstCommentAt === "string" ? item.firstCommentAt : null,
    url: typeof item?.url === "string" ? item.url : null,
    title: typeof item?.title === "string" ? item.title : null,
    featured: Array.isArray(item?.f) ? (item.f as Item[]) : [],
  };
}

const header = headerUpdate("thread");
const sortHeadValues = { ":newest": threadSortHeads.newest, ":top": threadSortHeads.top };

/**
 * Replaces the thread's featured list, unless the thread changed since `seenVersion` (then read it again).
 * Bumps the version: a page's ETag changes with what it shows.
 */
export function featuredListPut(input: ThreadRef & { featured: Item[]; seenVersion: number | null }): WriteItem {
  return {
    Update: {
      Key: threadKey(input),
      UpdateExpression: "SET f = :f ADD version :one",
      ConditionExpression: input.seenVersion === null ? "attribute_not_exists(version)" : "version = :seen",
      ExpressionAttributeValues: { ":f": input.featured, ":one": 1, ...(input.seenVersion === null ? {} : { ":seen": input.seenVersion }) },
    },
  };
}

/**
 * The thread update of a comment entering (`delta` 1) or leaving (`delta` -1) the published set; a new
 * comment that is not published (`delta` 0) only records when the thread's first comment was written.
 */
export function threadChange(
  input: ThreadRef & { commentCreatedAt: string; delta: 1 | 0 | -1; page?: { url: string; title: string | null } | null },
): WriteItem {
  const counters = input.delta === 0 ? "" : " ADD commentCount :delta, version :one";
  // A new post's page address becomes the thread's (the latest wins); decisions pass no page and keep it.
  const page = input.page ? ", #url = :url, #title = :title" : "";
  return {
    Update: {
      Key: threadKey(input),
      UpdateExpression: `SET ${header.set}, siteId = :site, threadId = :thread, gsi3sk = :newest, gsi4sk = :top, firstCommentAt = if_not_exists(firstCommentAt, :at)${page}${counters}`,
      ExpressionAttributeNames: { ...header.names, ...(input.page ? { "#url": "url", "#title": "title" } : {}) },
      ExpressionAttributeValues: {
        ...header.values,
        ...sortHeadValues,
        ":site": input.siteId,
        ":thread": input.threadId,
        ":at": input.commentCreatedAt,
        ...(input.page ? { ":url": input.page.url, ":title": input.page.title } : {}),
        ...(input.delta === 0 ? {} : { ":delta": input.delta, ":one": 1 }),
      },
    },
  };
}

/** Bumps the thread's version (the published set changed in place: an erased comment). */
export const threadVersionBump = (ref: ThreadRef): WriteItem => ({
  Update: { Key: threadKey(ref), UpdateExpression: "ADD version :one", ExpressionAttributeValues: { ":one": 1 } },
});

/** The conditional update that sets recounted counters, unless the thread changed since `seenVersion`. */
export function threadRecount(input: ThreadRef & { count: number; version: number; firstCommentAt: string | null; seenVersion: number | undefined }) {
  return {
    Key: threadKey(input),
    UpdateExpression:
      `SET ${header.set}, siteId = :site, threadId = :thread, gsi3sk = :newest, gsi4sk = :top, commentCount = :count, version = :version` +
      (input.firstCommentAt === null ? "" : ", firstCommentAt = :first"),
    ConditionExpression: input.seenVersion === undefined ? "attribute_not_exists(version)" : "version = :seen",
    ExpressionAttributeNames: header.names,
    ExpressionAttributeValues: {
      ...header.values,
      ...sortHeadValues,
      ":site": input.siteId,
      ":thread": input.threadId,
      ":count": input.count,
      ":version": input.version,
      ...(input.firstCommentAt === null ? {} : { ":first": input.firstCommentAt }),
      ...(input.seenVersion === undefined ? {} : { ":seen": input.seenVersion }),
    },
  };
}

