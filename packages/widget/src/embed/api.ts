import type { PublicComment } from "@comments/core";

/** `GET …/config` (`auth` when the site signs its readers in; read tolerantly, older servers leave it out). */
export interface SiteSettings {
  siteId: string;
  captcha: { provider: "recaptcha-v3" | "turnstile" | "hcaptcha" | "test"; siteKey: string | null };
  limits: { maxBodyLength: number };
  auth?: { loginUrl?: string | null; captchaForSignedIn?: boolean } | null;
}

/** A comment as the thread shows it, with the sign-in and editing fields (absent on older servers). */
export type Comment = Omit<PublicComment, "author"> & {
  author: PublicComment["author"] & { verified?: boolean; badge?: "staff" | null; avatar?: string | null };
  editedAt?: string | null;
  deleted?: boolean;
};

/** `GET …/comments`. */
export interface ThreadPage {
  thread: { siteId: string; threadId: string; commentCount: number; closed: boolean };
  comments: Comment[];
  nextCursor: string | null;
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
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null;
  if (response.ok) return body;
  const retryAfter = Number(response.headers.get("retry-after")) || null;
  const error = body?.error;
  throw new ApiError(response.status, error?.code ?? "http_" + response.status, error?.message ?? response.statusText, error?.fields, retryAfter);
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
  return {
    settings: () => request(`${siteUrl}/config`) as Promise<SiteSettings>,

    // "no-cache" revalidates with the ETag (a cheap 304) instead of showing a stale copy the reader just posted to.
    page: (limit: number, cursor: string | null) =>
      request(`${commentsUrl}?limit=${limit}${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`, { cache: "no-cache" }) as Promise<ThreadPage>,

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
