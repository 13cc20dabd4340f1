/**
 * A hot thread under a spike: repeated reads of the same thread page (same site, thread and query string) are
 * served from this process's memory for at most `ttlMs`, and dropped at once by this process's own writes to that
 * thread, so a reader always sees their own comment. It caches what the store answered, not the response, so the
 * ETag, the `closed` flag and any per-reader parts are computed per request exactly as without it.
 */

/** The in-process cache of thread reads (`READ_CACHE_MS`). */
export interface ThreadReadCache {
  /** The store's answer for this thread and `query` (the request's query string, or a name like "thread"), from memory when fresh, else loaded. */
  read<T>(siteId: string, threadId: string, query: string, load: () => Promise<T>): Promise<T>;
  /** Drops every cached read of the thread; every write service that changes what a thread page shows calls it. */
  invalidate(siteId: string, threadId: string): void;
  /** Entries held (for tests and the bench). */
  readonly size: number;
}

export interface ThreadReadCacheOptions {
  /** How long a read may be served from memory; 0 turns the cache off. */
  ttlMs: number;
  /** Most entries kept; the least recently used goes first. Default 1,000. */
  maxEntries?: number;
  /** Milliseconds clock, injectable so tests never wait. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  thread: string;
  expires: number;
  value: Promise<unknown>;
}

/** A cache that never holds anything (`READ_CACHE_MS=0`). */
const off: ThreadReadCache = { read: (_site, _thread, _query, load) => load(), invalidate: () => undefined, size: 0 };

/** Builds the read cache; `ttlMs: 0` gives one that always loads. */
export function createThreadReadCache(options: ThreadReadCacheOptions): ThreadReadCache {
  if (!(options.ttlMs > 0)) return off;
  const { ttlMs } = options;
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  // The keys of each thread, so a write drops its thread's pages without scanning the whole cache.
  const keysOf = new Map<string, Set<string>>();
  const threadKey = (siteId: string, threadId: string) => `${siteId}\u0000${threadId}`;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    const keys = keysOf.get(entry.thread);
    keys?.delete(key);
    if (keys?.size === 0) keysOf.delete(entry.thread);
  };

  return {
    read<T>(siteId: string, threadId: string, query: string, load: () => Promise<T>): Promise<T> {
      const thread = threadKey(siteId, threadId);
      const key = `${thread}\u0000${query}`;
      const at = now();
      const hit = entries.get(key);
      if (hit && hit.expires > at) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as Promise<T>;
      }
      drop(key);
      // Kept from the start of the load: concurrent readers of a cold page share it, and a write while it is in
      // flight drops it (its answer may predate the write). A failed load is never kept.
      const value = load();
      entries.set(key, { thread, expires: at + ttlMs, value });
      let keys = keysOf.get(thread);
      if (!keys) keysOf.set(thread, (keys = new Set()));
      keys.add(key);
      while (entries.size > maxEntries) drop(entries.keys().next().value!);
      value.catch(() => {
        if (entries.get(key)?.value === value) drop(key);
      });
      return value;
    },
    invalidate(siteId: string, threadId: string) {
      for (const key of [...(keysOf.get(threadKey(siteId, threadId)) ?? [])]) drop(key);
    },
    get size() {
      return entries.size;
    },
  };
}
