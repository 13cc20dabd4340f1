import type { CaptchaOutcome, CommentInput, PipelineKind, SiteConfig } from "@comments/core";
import type { Store } from "@comments/store";

/** What the first three gates read, fetched together before any of them runs (one round trip instead of three). */
export interface GateReads {
  ban: Awaited<ReturnType<Store["findActiveBan"]>>;
  /** Read only when the site closes threads (`closeAfterDays`). */
  thread: Awaited<ReturnType<Store["getThread"]>> | null;
  windows: Awaited<ReturnType<Store["getRateWindows"]>>;
  /** Read only when the site pre-moderates first comments or guards against duplicates (for the content phases and the write). */
  author: Awaited<ReturnType<Store["readAuthorForPost"]>> | null;
}

/** Everything a gate may look at. Gates refuse by throwing an `AppError`; they never queue. */
export interface GateContext {
  kind: PipelineKind;
  site: SiteConfig;
  threadId: string;
  input: CommentInput;
  /** The reader's address (captcha providers want it); stored only as `ipHash`. */
  ip: string;
  ipHash: string;
  authorHash: string;
  /** Signed in by the host site: the captcha gate lets them through unless the site asks them for one too. */
  signedIn: boolean;
  now: Date;
  store: Store;
  reads: GateReads;
  /** Provider secrets by `secretEnv` name, and the fetch used to reach providers. */
  secrets: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Set by the parent gate for a reply: the top-level comment of its sub-thread. */
  rootId?: string;
  /** Set by the captcha gate: what the provider said (never `failed`, which refuses). */
  captcha?: Extract<CaptchaOutcome, { kind: "passed" | "unavailable" }>;
}

/** A gate: a check that may refuse the comment before any content phase runs. */
export type Gate = (context: GateContext) => void | Promise<void>;

/**
 * Starts the reads (rate windows by `rateKey`: the IP hash, or a signed-in reader's author hash) of the ban,
 * closed-thread and rate-limit gates together, with the author item the first-comment rule and the duplicate
 * guard need: one BatchGetItem (plus a read of the thread when the site closes threads).
 */
export async function readForGates(
  store: Store,
  request: { site: SiteConfig; threadId: string; ipHash: string; authorHash: string; now: Date; rateKey?: string },
): Promise<GateReads> {
  const { site, threadId, ipHash, authorHash, now } = request;
  const needsAuthor = site.moderation.premoderateFirstComment || site.moderation.duplicateWindowMinutes > 0;
  const [ban, thread, windows, author] = await Promise.all([
    store.findActiveBan(site.id, [authorHash, ipHash], now),
    site.closeAfterDays !== null ? store.getThread(site.id, threadId) : null,
    store.getRateWindows(site.id, request.rateKey ?? ipHash, now),
    needsAuthor ? store.readAuthorForPost(site.id, authorHash) : null,
  ]);
  return { ban, thread, windows, author };
}
