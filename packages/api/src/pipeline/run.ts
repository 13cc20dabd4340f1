import { contentPhases, moderate, newId, renderBody, type CommentInput, type SiteConfig, type StoredComment } from "@comments/core";
import type { ResolvedDeps } from "../deps.ts";
import { readForGates, type GateContext, type GateReads } from "./gate-context.ts";
import { gates } from "./gates/index.ts";

/** A new comment as the route hands it to the pipeline (already validated). */
export interface CreateRequest {
  site: SiteConfig;
  threadId: string;
  input: CommentInput;
  ip: string;
}

/** What the pipeline decided: the comment to store, and the gate reads its write builds on. */
export interface CreateOutcome {
  comment: StoredComment;
  /** The rate-limit item as the rate-limit gate read it (the write drops its past counters). */
  rateWindows: GateReads["windows"];
}

/**
 * The pipeline of a new comment: the gates in the contract's order (each may refuse), then the content phases
 * and the site's outside phases (each may queue or mark spam). Returns the comment to store; writes nothing.
 */
export async function runCreatePipeline(deps: ResolvedDeps, request: CreateRequest, now: Date): Promise<CreateOutcome> {
  const { store, hasher } = deps;
  const { site, threadId, input } = request;
  const ipHash = hasher.ip(request.ip);
  const authorHash = hasher.author({ email: input.author.email ?? null, name: input.author.name }, ipHash);

  const context: GateContext = {
    kind: "create",
    site,
    threadId,
    input,
    ip: request.ip,
    ipHash,
    authorHash,
    now,
    store,
    reads: await readForGates(store, { site, threadId, ipHash, authorHash, now }),
    secrets: deps.secrets ?? {},
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
  for (const gate of gates.create) await gate(context);
  const captcha = context.captcha;
  if (!captcha) throw new Error("The captcha gate must run before the content phases");

  const bodyHtml = renderBody(input.body);
  const authorName = input.author.name.trim();
  const decision = await moderate(
    {
      kind: "create",
      site,
      body: input.body,
      bodyHtml,
      website: input.website,
      captcha,
      authorHasPublished: site.moderation.premoderateFirstComment ? await store.authorHasPublished(site.id, authorHash) : true,
      threadId,
      authorName,
    },
    contentPhases,
    deps.outsidePhases(site),
  );

  const createdAt = now.toISOString();
  const comment: StoredComment = {
    siteId: site.id,
    threadId,
    id: deps.newId?.() ?? newId(now.getTime()),
    parentId: input.parentId ?? null,
    ...(input.parentId ? (context.rootId ? { rootId: context.rootId } : {}) : { rootId: null }),
    authorName,
    authorEmail: input.author.email?.trim() ?? null,
    authorUrl: input.author.url ?? null,
    authorHash,
    ipHash,
    body: input.body,
    bodyHtml,
    createdAt,
    status: decision.status,
    reasons: decision.reasons,
    details: decision.details,
    captchaScore: captcha.kind === "passed" ? captcha.score : null,
    flags: 0,
    flagReasons: {},
    queuedAt: decision.status === "pending" ? createdAt : null,
    // The route checked the page's origin; its normalized address never carries a line break (Location-safe).
    page: input.page ? { url: new URL(input.page.url).href, title: input.page.title ?? null } : null,
  };
  return { comment, rateWindows: context.reads.windows };
}
