import { AppError, contentPhases, messages, moderate, newId, nudgeReasons, renderBody, type CommentInput, type SiteConfig, type StoredComment } from "@comments/core";
import type { SsoReader } from "../auth/sso.ts";
import type { ResolvedDeps } from "../deps.ts";
import { readForGates, type GateContext, type GateReads } from "./gate-context.ts";
import { gates } from "./gates/index.ts";

/** A new comment as the route hands it to the pipeline (already validated). */
export interface CreateRequest {
  site: SiteConfig;
  threadId: string;
  /** For a signed-in reader: the author fields come from the token, `captchaToken` may be "" (skipped). */
  input: CommentInput;
  ip: string;
  /** The reader the host site signed in, or null for a guest. */
  reader: SsoReader | null;
}

/** What the pipeline decided: the comment to store, and the gate reads its write builds on. */
export interface CreateOutcome {
  comment: StoredComment;
  /** The rate-limit item as the rate-limit gate read it (the write drops its past counters). */
  rateWindows: GateReads["windows"];
  /** The author item as read with the gates' reads (the write drops its ended duplicate guards), when read. */
  author: GateReads["author"];
  /** Whose rate windows count this comment: the IP hash of a guest, the author hash of a signed-in reader. */
  rateKey: string;
}

/**
 * The pipeline of a new comment: the gates in the contract's order (each may refuse), then the content phases
 * and the site's outside phases (each may queue or mark spam). Returns the comment to store; writes nothing.
 */
export async function runCreatePipeline(deps: ResolvedDeps, request: CreateRequest, now: Date): Promise<CreateOutcome> {
  const { store, hasher } = deps;
  const { site, threadId, input } = request;
  const ipHash = hasher.ip(request.ip);
  const { reader } = request;
  // A signed-in reader is their host account wherever they post from; a guest is their email, or name + address.
  const authorHash = reader ? hasher.ssoAuthor(reader.sub) : hasher.author({ email: input.author.email ?? null, name: input.author.name }, ipHash);

  // A signed-in reader's limits follow their account, not the address they post from.
  const rateKey = reader ? authorHash : ipHash;
  const context: GateContext = {
    kind: "create",
    site,
    threadId,
    input,
    ip: request.ip,
    ipHash,
    authorHash,
    signedIn: reader !== null,
    now,
    store,
    reads: await readForGates(store, { site, threadId, ipHash, authorHash, now, rateKey }),
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
      authorHasPublished: site.moderation.premoderateFirstComment ? (context.reads.author?.hasPublished ?? false) : true,
      threadId,
      authorName,
    },
    contentPhases,
    deps.outsidePhases(site),
  );

  // A nudge: the writer hears about the language first; nothing is stored until they confirm (spam never nudges).
  if (site.moderation.nudge && input.acknowledgeNudge !== true && decision.status === "pending" && decision.languageReasons.length > 0) {
    throw new AppError("nudge", messages.nudge, { extra: { reasons: nudgeReasons(decision.languageReasons) } });
  }

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
    authorVerified: reader !== null,
    authorBadge: reader?.staff ? "staff" : null,
    authorAvatar: reader?.avatar ?? null,
    editedAt: null,
    edits: 0,
    history: [],
    // The route checked the page's origin; its normalized address never carries a line break (Location-safe).
    page: input.page ? { url: new URL(input.page.url).href, title: input.page.title ?? null } : null,
  };
  return { comment, rateWindows: context.reads.windows, author: context.reads.author, rateKey };
}
