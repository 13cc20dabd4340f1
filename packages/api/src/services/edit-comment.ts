import { AppError, contentPhases, messages, moderate, renderBody, toPublicComment, type SiteConfig, type StoredComment } from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";
import { checkOwner, findComment, ownComment, type OwnerCredentials } from "./comment-owner.ts";

/** Edits a comment may have; the next one is `409 edit_limit`. */
export const maxEdits = 10;

/** An author's edit as the route hands it over (body validated like a new comment's). */
export interface EditRequest extends OwnerCredentials {
  site: SiteConfig;
  threadId: string;
  commentId: string;
  body: string;
  ip: string;
}

/** The answer to an edit: 200 with the comment as it now stands (and the awaiting-moderation message when pending). */
export interface EditAnswer {
  status: 200;
  body: Record<string, unknown>;
}

/**
 * An author's edit: the comment (404) → ownership and window (403) → edit limit (409) → ban (403) → the same
 * rendering, content phases and outside checks as a new comment (not the captcha) → one conditional write.
 * A published comment that a phase would queue leaves the thread for the queue; spam is answered as pending.
 * A queued comment stays queued whatever the edit says: only a moderator publishes it.
 */
export async function editComment(deps: ResolvedDeps, request: EditRequest): Promise<EditAnswer> {
  const { site, store } = { site: request.site, store: deps.store };
  const now = deps.now();
  const current = ownComment(await findComment(deps, site.id, request.threadId, request.commentId));
  checkOwner(deps, site, current, request, "edit", now);
  // A retry of an edit already made (the answer was lost on the way): the comment already says it, so nothing is
  // written again — no second history entry, no edit counted twice, and the same answer as the first time.
  if (request.body === current.body && current.editedAt) return answerFor(current);
  if ((current.edits ?? 0) >= maxEdits) throw new AppError("edit_limit", messages.editLimit);
  if (await store.findActiveBan(site.id, [current.authorHash, deps.hasher.ip(request.ip)], now)) {
    throw new AppError("author_banned", messages.authorBanned);
  }

  const bodyHtml = renderBody(request.body);
  const decision = await moderate(
    {
      kind: "edit",
      site,
      body: request.body,
      bodyHtml,
      website: undefined,
      // The captcha was answered when the comment was posted; its first-comment rule was settled then too.
      captcha: { kind: "passed", score: null },
      authorHasPublished: true,
      threadId: current.threadId,
      authorName: current.authorName,
    },
    contentPhases,
    deps.outsidePhases(site),
  );

  const at = now.toISOString();
  const next: StoredComment = {
    ...current,
    body: request.body,
    bodyHtml,
    editedAt: at,
    edits: (current.edits ?? 0) + 1,
    history: [...(current.history ?? []), { body: current.body, at: current.editedAt ?? current.createdAt }],
  };
  if (decision.status === "spam") {
    Object.assign(next, { status: "spam", queuedAt: null, reasons: decision.reasons, details: decision.details });
  } else if (decision.status === "pending") {
    Object.assign(next, {
      status: "pending",
      queuedAt: current.queuedAt ?? at,
      reasons: [...current.reasons, ...decision.reasons.filter((reason) => !current.reasons.includes(reason))],
      details: [...current.details, ...decision.details.filter((detail) => !current.details.includes(detail))],
    });
  }

  await store.editComment(current, next);
  // This process's cached pages of the thread go at once: the author sees their edit on the next read.
  deps.readCache.invalidate(site.id, current.threadId);
  if (next.status === "pending" && current.queuedAt === null) await deps.announceQueued(site, next);

  return answerFor(next);
}

/** 200 with the comment as it stands, and the awaiting-moderation message when it is queued. */
function answerFor(comment: StoredComment): EditAnswer {
  if (comment.status === "published") return { status: 200, body: { comment: { ...toPublicComment(comment), status: "published" } } };
  return { status: 200, body: { comment: { ...toPublicComment(comment), status: "pending" }, message: messages.awaitingModeration } };
}
