import type { PublicComment } from "@comments/core";

/** `GET …/config` (`auth` when the site signs its readers in; read tolerantly, older servers leave it out). */
export interface SiteSettings {
  siteId: string;
  captcha: { provider: "recaptcha-v3" | "turnstile" | "hcaptcha" | "test"; siteKey: string | null };
  limits: { maxBodyLength: number };
  auth?: { loginUrl?: string | null; captchaForSignedIn?: boolean } | null;
  /** How often a visible thread checks for new comments (0: never). */
  liveUpdateSeconds?: number;
  defaultSort?: Sort;
}

/** The orders a thread can be read in. */
export const sorts = ["oldest", "newest", "top"] as const;
export type Sort = (typeof sorts)[number];

/**
 * A comment as the thread shows it: sign-in, editing and likes fields (absent on older servers), and for a root
 * with a long sub-thread, how many replies the page does not show.
 */
export type Comment = Omit<PublicComment, "author" | "editedAt" | "likes" | "deleted" | "moreReplies"> & {
  author: Pick<PublicComment["author"], "name" | "url"> & { verified?: boolean; badge?: "staff" | null; avatar?: string | null };
  editedAt?: string | null;
  deleted?: boolean;
  likes?: number;
  moreReplies?: number;
};
export type ThreadComment = Comment;

/** `GET …/comments`. */
export interface ThreadPage {
  thread: { siteId: string; threadId: string; commentCount: number; closed: boolean; url?: string | null; title?: string | null };
  comments: Comment[];
  nextCursor: string | null;
  /** Comments the newsroom picked (first page only). */
  featured?: ThreadComment[];
}

/** What a page can be asked for with. */
export interface PageQuery {
  limit: number;
  cursor?: string | null;
  sort?: Sort | null;
  /** The page that holds this comment (deep links). */
  around?: string;
}

/** A comment as the POST and PATCH answer it. */
export type PostedComment = Comment & { status: "published" | "pending" };

/** The POST answer: the edit token and the end of its window come only here, beside the comment. */
export interface PostAnswer {
  comment: PostedComment;
  message?: string;
  editToken?: string;
  editableUntil?: string;
}

/** Who may change a comment: a guest by the edit token from the POST answer, a signed-in reader by their token. */
export interface Credentials {
  editToken: string | null;
}

/**
 * An answer the reader must act on (4xx/5xx), or `network` when the server could not be reached.
 * `retryAfter` is in seconds.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter: number | null = null,
    /** A `nudge`'s reasons, in plain words. */
    readonly reasons: string[] = [],
  ) {
    super(message);
  }
}

/** Waits before retry n (1-based) of a failed post, unless the server said how long in `Retry-After`. */
const backoffMs = [1000, 3000, 7000];
const retryable = (status: number) => status === 502 || status === 503 || status === 504;

async function request(url: string, init?: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "omit", ...init });
  } catch {
    throw new ApiError(0, "network", "network");
  }
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: Record<string, string>; reasons?: unknown } } | null;
  if (response.ok) return body;
  const retryAfter = Number(response.headers.get("retry-after")) || null;
  const error = body?.error;
  throw new ApiError(response.status, error?.code ?? "http_" + response.status, error?.message ?? response.statusText, error?.fields, retryAfter, Array.isArray(error?.reasons) ? error.reasons.map(String) : []);
}

/**
 * The public API of one site's thread. `signIn` gives the reader's SSO token (or null): it travels as a Bearer
 * token on writes only, so thread reads stay cacheable and shared.
 */
export function createApi(base: string, site: string, thread: string, signIn: () => string | null = () => null) {
  const siteUrl = `${base}/v1/sites/${encodeURIComponent(site)}`;
  const commentsUrl = `${siteUrl}/threads/${encodeURIComponent(thread)}/comments`;
  const writeHeaders = (extra: Record<string, string>, editToken: string | null = null) => {
    const token = signIn();
    return { ...extra, ...(token && { authorization: `Bearer ${token}` }), ...(editToken && { "x-edit-token": editToken }) };
  };
  const commentUrl = (id: string) => `${commentsUrl}/${encodeURIComponent(id)}`;
  const pageUrl = ({ limit, cursor, sort, around }: PageQuery) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set("cursor", cursor);
    if (sort) query.set("sort", sort);
    if (around) query.set("around", around);
    return `${commentsUrl}?${query}`;
  };
  return {
    settings: () => request(`${siteUrl}/config`) as Promise<SiteSettings>,

    // "no-cache" revalidates with the ETag (a cheap 304) instead of showing a stale copy the reader just posted to.
    page: (query: PageQuery) => request(pageUrl(query), { cache: "no-cache" }) as Promise<ThreadPage>,

    /**
     * A live-update check of the first page: `null` while it is unchanged (a 304 for `etag`, one cheap read on the
     * server, cacheable by the CDN), else the new page and its ETag.
     */
    async check(query: PageQuery, etag: string | null): Promise<{ page: ThreadPage; etag: string | null } | null> {
      const response = await fetch(pageUrl(query), { credentials: "omit", cache: "no-store", headers: etag ? { "if-none-match": etag } : {} });
      if (response.status === 304 || !response.ok) return null;
      return { page: (await response.json()) as ThreadPage, etag: response.headers.get("etag") };
    },

    /** The next replies of a root whose sub-thread is longer than a page shows. */
    replies: (rootId: string, cursor: string | null) =>
      request(`${commentsUrl}/${encodeURIComponent(rootId)}/replies${cursor ? "?cursor=" + encodeURIComponent(cursor) : ""}`) as Promise<{ comments: ThreadComment[]; nextCursor: string | null }>,

    /** Likes (`on`) or unlikes a comment; answers the new count and state. */
    like: (commentId: string, on: boolean) =>
      request(`${commentsUrl}/${encodeURIComponent(commentId)}/like`, { method: on ? "PUT" : "DELETE" }) as Promise<{ likes: number; liked: boolean }>,

    /** A comment's permalink (redirects to it on its page). */
    permalink: (commentId: string) => `${siteUrl}/comments/${encodeURIComponent(commentId)}`,

    /** The thread's Atom feed. */
    feed: `${commentsUrl}.atom`,

    /**
     * Posts a comment, retrying with the same `Idempotency-Key` and the same body while the network fails or
     * the service answers 502/503/504, so a retry can never create a second comment.
     */
    async post(json: string, key: string, onRetry: () => void): Promise<PostAnswer> {
      for (let attempt = 0; ; attempt++) {
        try {
          return (await request(commentsUrl, {
            method: "POST",
            headers: writeHeaders({ "content-type": "application/json", "idempotency-key": key }),
            body: json,
          })) as PostAnswer;
        } catch (error) {
          const failure = error as ApiError;
          if ((failure.status !== 0 && !retryable(failure.status)) || attempt >= backoffMs.length) throw failure;
          onRetry();
          await new Promise((done) => setTimeout(done, Math.max(backoffMs[attempt]!, (failure.retryAfter ?? 0) * 1000)));
        }
      }
    },

    /** Changes a comment's body (`PATCH`); the answer's status is `pending` when the edit went back to the queue. */
    edit: (id: string, body: string, { editToken }: Credentials) =>
      request(commentUrl(id), {
        method: "PATCH",
        headers: writeHeaders({ "content-type": "application/json" }, editToken),
        body: JSON.stringify({ body }),
      }) as Promise<{ comment: PostedComment; message?: string }>,

    /** Deletes a comment (`DELETE`, 204, again 204 when repeated). */
    remove: (id: string, { editToken }: Credentials) => request(commentUrl(id), { method: "DELETE", headers: writeHeaders({}, editToken) }).then(() => undefined),
  };
}

/** The API client of one widget. */
export type Api = ReturnType<typeof createApi>;
