import type { AuditEntry, Ban, ModComment, PublicComment } from "@comments/core";

/** A key's role: admins also manage keys for their sites. */
export type KeyRole = "moderator" | "admin";

/** `GET /v1/mod/me`; `role` is absent on servers older than key roles (then the page treats the key as a moderator's). */
export interface Me {
  name: string;
  role?: KeyRole;
  sites: Array<{ id: string; name: string }>;
}

/** An author's comments per status on the site. */
export interface AuthorCounts {
  published: number;
  pending: number;
  rejected: number;
  spam: number;
}

/**
 * A queue item with the context moderators decide by (DESIGN §6.6). The context fields are optional here so the
 * page still works against a server that does not send them yet.
 */
export type ModItem = Omit<ModComment, "thread" | "parent" | "editedAt" | "history" | "author"> & {
  thread?: { url: string | null; title: string | null };
  parent?: PublicComment | null;
  editedAt?: string | null;
  /** Earlier versions, oldest first: DESIGN §6.2 names them `{body, at}`; rendered HTML comes as `{bodyHtml, editedAt}`. */
  history?: Array<{ body?: string; bodyHtml?: string; at?: string; editedAt?: string }>;
  author: { name: string; email: string | null; url: string | null; ref?: string | null; counts?: AuthorCounts; banned?: boolean };
};

/** One item's outcome in a bulk decision. */
export interface BulkResult {
  commentId: string;
  status: 200 | 404 | 409;
  comment?: ModItem;
}

/** A key as the admin list shows it (never its secret). */
export interface KeyInfo {
  id: string;
  name: string;
  role: KeyRole;
  sites: string[];
  createdAt?: string;
}

/** `GET …/stats`. */
export interface Stats {
  queue: { size: number; oldestAt: string | null; byReason: Record<string, number> };
  decisions: {
    perDay: Array<{ date: string; approve: number; reject: number; spam: number }>;
    timeToDecision: { p50Seconds: number | null; p95Seconds: number | null };
    byModerator: Array<{ moderator: string; count: number }>;
  };
  comments: { perDay: Array<{ date: string; published: number; pending: number; spam: number }> };
}

/** Most comments one bulk decision takes (the API's limit). */
export const bulkLimit = 100;

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

  queue(site: string, cursor: string | null, limit = 100): Promise<Page<ModItem>> {
    return this.call("GET", `${sitePath(site)}/queue?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`) as Promise<Page<ModItem>>;
  }

  decide(site: string, threadId: string, commentId: string, action: DecisionAction, note: string | undefined): Promise<{ comment: ModItem }> {
    const path = `${sitePath(site)}/threads/${encodeURIComponent(threadId)}/comments/${encodeURIComponent(commentId)}/decision`;
    return this.call("POST", path, { action, ...(note ? { note } : {}) }) as Promise<{ comment: ModItem }>;
  }

  /** Decides up to {@link bulkLimit} comments of one site, each on its own. */
  decideMany(site: string, items: Array<{ threadId: string; commentId: string }>, action: DecisionAction, note: string | undefined): Promise<{ results: BulkResult[] }> {
    return this.call("POST", `${sitePath(site)}/decisions`, { items, action, ...(note ? { note } : {}) }) as Promise<{ results: BulkResult[] }>;
  }

  /** Every comment of one author on the site, newest first. */
  authorComments(site: string, ref: string, cursor: string | null): Promise<Page<ModItem>> {
    return this.call("GET", `${sitePath(site)}/authors/${encodeURIComponent(ref)}/comments${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`) as Promise<Page<ModItem>>;
  }

  stats(site: string, days: number): Promise<Stats> {
    return this.call("GET", `${sitePath(site)}/stats?days=${days}`) as Promise<Stats>;
  }

  keys(): Promise<{ items: KeyInfo[] }> {
    return this.call("GET", "/v1/mod/keys") as Promise<{ items: KeyInfo[] }>;
  }

  createKey(input: { name: string; sites: string[]; role: KeyRole }): Promise<{ key: string; id: string }> {
    return this.call("POST", "/v1/mod/keys", input) as Promise<{ key: string; id: string }>;
  }

  revokeKey(id: string): Promise<unknown> {
    return this.call("DELETE", `/v1/mod/keys/${encodeURIComponent(id)}`);
  }

  audit(site: string, cursor: string | null, limit = 50): Promise<Page<AuditEntry>> {
    return this.call("GET", `${sitePath(site)}/audit?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`) as Promise<Page<AuditEntry>>;
  }

  bans(site: string): Promise<{ items: Ban[] }> {
    return this.call("GET", `${sitePath(site)}/bans`) as Promise<{ items: Ban[] }>;
  }

  ban(site: string, input: { threadId: string; commentId: string; reason: string; days?: number; purge?: boolean }): Promise<{ ban: Ban }> {
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
