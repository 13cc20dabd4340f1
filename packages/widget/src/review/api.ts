import type { AuditEntry, Ban, ModComment } from "@comments/core";

/** `GET /v1/mod/me`. */
export interface Me {
  name: string;
  sites: Array<{ id: string; name: string }>;
}

/** A page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A moderation action the decision route accepts. */
export type DecisionAction = "approve" | "reject" | "spam";

/** An error answer of the API (`code` from the contract), or `network` when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Code-specific keys of the error object (`status`, `decidedBy` on `already_decided`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const timeoutMs = 15_000;

/** The moderation API, called with one moderator key. */
export class ModerationApi {
  constructor(
    readonly base: string,
    private readonly key: string,
  ) {}

  me(): Promise<Me> {
    return this.call("GET", "/v1/mod/me") as Promise<Me>;
  }

  queue(site: string, cursor: string | null, limit = 100): Promise<Page<ModComment>> {
    return this.call("GET", `${sitePath(site)}/queue?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`) as Promise<Page<ModComment>>;
  }

  decide(site: string, threadId: string, commentId: string, action: DecisionAction, note: string | undefined): Promise<{ comment: ModComment }> {
    const path = `${sitePath(site)}/threads/${encodeURIComponent(threadId)}/comments/${encodeURIComponent(commentId)}/decision`;
    return this.call("POST", path, { action, ...(note ? { note } : {}) }) as Promise<{ comment: ModComment }>;
  }

  audit(site: string, cursor: string | null, limit = 50): Promise<Page<AuditEntry>> {
    return this.call("GET", `${sitePath(site)}/audit?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`) as Promise<Page<AuditEntry>>;
  }

  bans(site: string): Promise<{ items: Ban[] }> {
    return this.call("GET", `${sitePath(site)}/bans`) as Promise<{ items: Ban[] }>;
  }

  ban(site: string, input: { threadId: string; commentId: string; reason: string; days?: number }): Promise<{ ban: Ban }> {
    return this.call("POST", `${sitePath(site)}/bans`, input) as Promise<{ ban: Ban }>;
  }

  liftBan(site: string, banId: string): Promise<unknown> {
    return this.call("DELETE", `${sitePath(site)}/bans/${encodeURIComponent(banId)}`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: "omit",
        cache: "no-store",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new ApiError(0, "network", `Could not reach the API at ${this.base}.`);
    }
    if (response.status === 204) return null;
    const json = (await response.json().catch(() => null)) as { error?: Record<string, unknown> } | null;
    if (!response.ok) {
      const { code, message, ...extra } = json?.error ?? {};
      throw new ApiError(response.status, typeof code === "string" ? code : "unknown", typeof message === "string" ? message : `The API answered ${response.status}.`, extra);
    }
    return json;
  }
}

const sitePath = (site: string) => `/v1/mod/sites/${encodeURIComponent(site)}`;
