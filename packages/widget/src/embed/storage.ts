import type { PostedComment } from "./api.ts";

/** A request that was sent but not yet answered by the server: resent byte for byte with the same key. */
export interface PendingRequest {
  key: string;
  json: string;
  /** The form fields it was made from; editing any of them starts a new request. */
  fields: string;
}

/** What the reader has typed in one thread, kept until the server accepts it. */
export interface Draft {
  body: string;
  name: string;
  email: string;
  url: string;
  parentId: string | null;
  parentName: string | null;
  request: PendingRequest | null;
}

/** A comment of this reader that waits for moderation, shown to them on this device only. */
export interface Queued {
  comment: PostedComment;
  savedAt: number;
}

const keep30Days = 30 * 24 * 3600 * 1000;

// localStorage can be missing or throw (privacy modes, sandboxed frames): the widget then works without it.
function read<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null") as T | null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: nothing else to do, the form still holds the text.
  }
}

/** Draft, author details and queued comments of one site + thread on this device. */
export function threadStorage(site: string, thread: string) {
  const scope = `${site}\n${thread}`;
  const draftKey = `cw:draft:${scope}`;
  const queuedKey = `cw:queued:${scope}`;
  const authorKey = `cw:author:${site}`;
  return {
    draft: (): Draft | null => read<Draft>(draftKey),
    saveDraft(draft: Draft | null): void {
      write(draftKey, draft);
      // Name, email and website are remembered for the reader's next thread on this site.
      if (draft) write(authorKey, { name: draft.name, email: draft.email, url: draft.url });
    },
    author: () => read<Pick<Draft, "name" | "email" | "url">>(authorKey),
    queued: (): Queued[] => (read<Queued[]>(queuedKey) ?? []).filter((item) => Date.now() - item.savedAt < keep30Days),
    saveQueued(items: Queued[]): void {
      write(queuedKey, items.length > 0 ? items : null);
    },
    /** The comments of this thread the reader liked on this device (the like button's pressed state). */
    liked: () => new Set(read<string[]>(`cw:liked:${scope}`) ?? []),
    saveLiked: (ids: Set<string>) => write(`cw:liked:${scope}`, ids.size > 0 ? [...ids] : null),
    /** The reader's chosen order, remembered for every thread of the site. */
    sort: () => read<string>(`cw:sort:${site}`),
    saveSort: (sort: string) => write(`cw:sort:${site}`, sort),
  };
}

/** Storage of one widget. */
export type ThreadStorage = ReturnType<typeof threadStorage>;

/** What this device knows about one of the reader's own comments. */
export interface Owned {
  /** The edit token from the post answer (guests; signed-in readers may have one too). */
  token: string | null;
  /** ISO end of the edit window, or null when the site gave none. */
  until: string | null;
  /** The signed-in reader who wrote it (may delete it any time), or null for a guest. */
  sub: string | null;
  /** The text as the reader wrote it, to edit again (the thread only holds the rendered HTML). */
  body?: string;
}

/** Signed-in readers' records stay until this many are kept; guests' go when their window closes. */
const keepOwned = 200;

/**
 * The reader's own comments on one site (`cw:own:<site>`), so Edit and Delete show again after a reload and on
 * every thread of the site. Edit tokens live only here, never in a URL or a page.
 */
export function ownedComments(site: string) {
  const key = `cw:own:${site}`;
  const all = (): Record<string, Owned> => read<Record<string, Owned>>(key) ?? {};
  const save = (records: Record<string, Owned>) => {
    const now = Date.now();
    const kept = Object.entries(records).filter(([, owned]) => owned.sub !== null || (owned.until !== null && Date.parse(owned.until) > now));
    write(key, kept.length > 0 ? Object.fromEntries(kept.slice(-keepOwned)) : null);
  };
  return {
    get: (id: string): Owned | null => all()[id] ?? null,
    set(id: string, owned: Owned): void {
      save({ ...all(), [id]: owned });
    },
    forget(id: string): void {
      const records = all();
      delete records[id];
      save(records);
    },
  };
}

/** The reader's own comments of one widget's site. */
export type OwnedComments = ReturnType<typeof ownedComments>;
