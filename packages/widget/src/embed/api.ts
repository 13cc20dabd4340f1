import type { PublicComment } from "@comments/core";

/** `GET …/config`. */
export interface SiteSettings {
  siteId: string;
  captcha: { provider: "recaptcha-v3" | "turnstile" | "hcaptcha" | "test"; siteKey: string | null };
  limits: { maxBodyLength: number };
}

/** `GET …/comments`. */
export interface ThreadPage {
  thread: { siteId: string; threadId: string; commentCount: number; closed: boolean };
  comments: PublicComment[];
  nextCursor: string | null;
}

/** A comment as the POST answers it. */
export type PostedComment = PublicComment & { status: "published" | "pending" };

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

/** The public API of one site's thread. */
export function createApi(base: string, site: string, thread: string) {
  const siteUrl = `${base}/v1/sites/${encodeURIComponent(site)}`;
  const commentsUrl = `${siteUrl}/threads/${encodeURIComponent(thread)}/comments`;
  return {
    settings: () => request(`${siteUrl}/config`) as Promise<SiteSettings>,

    // "no-cache" revalidates with the ETag (a cheap 304) instead of showing a stale copy the reader just posted to.
    page: (limit: number, cursor: string | null) =>
      request(`${commentsUrl}?limit=${limit}${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`, { cache: "no-cache" }) as Promise<ThreadPage>,

    /**
     * Posts a comment, retrying with the same `Idempotency-Key` and the same body while the network fails or
     * the service answers 502/503/504, so a retry can never create a second comment.
     */
    async post(json: string, key: string, onRetry: () => void): Promise<{ comment: PostedComment; message?: string }> {
      for (let attempt = 0; ; attempt++) {
        try {
          return (await request(commentsUrl, {
            method: "POST",
            headers: { "content-type": "application/json", "idempotency-key": key },
            body: json,
          })) as { comment: PostedComment; message?: string };
        } catch (error) {
          const failure = error as ApiError;
          if ((failure.status !== 0 && !retryable(failure.status)) || attempt >= backoffMs.length) throw failure;
          onRetry();
          await new Promise((done) => setTimeout(done, Math.max(backoffMs[attempt]!, (failure.retryAfter ?? 0) * 1000)));
        }
      }
    },
  };
}

/** The API client of one widget. */
export type Api = ReturnType<typeof createApi>;
