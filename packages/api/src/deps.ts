import type { Context } from "hono";
import type { Phase, Principal, SiteConfig, StoredComment } from "@comments/core";
import type { Store, SubscriptionRecord } from "@comments/store";
import type { SsoReader } from "./auth/sso.ts";
import type { Logger } from "./logger.ts";
import type { Hasher } from "./hashing.ts";
import type { OutsidePhasesForSite } from "./pipeline/outside/registry.ts";
import type { ThreadReadCache } from "./read-cache.ts";

/** Receives comments that just entered the moderation queue (never spam). */
export interface QueueListener {
  commentQueued(site: SiteConfig, comment: StoredComment): void | Promise<void>;
}

/**
 * Told after a write succeeded, so mail can follow (DESIGN §6.5). Implementations return at once and never
 * throw: sending happens in the background (the local server's queue); on AWS the table stream does this
 * instead and the app is given none.
 */
export interface MailEvents {
  /** A subscription was stored (an unconfirmed one gets its double opt-in mail). */
  subscriptionCreated(subscription: SubscriptionRecord): void;
  /** A comment became published, at once or on approval. */
  commentPublished(site: SiteConfig, comment: StoredComment): void;
  /** A moderator decided about a comment that was `fromStatus` (a rejection may owe a statement of reasons). */
  commentDecided(site: SiteConfig, comment: StoredComment, fromStatus: StoredComment["status"]): void;
}

/** What {@link createApp} needs from its host; `runtime.appDeps()` builds it from the environment. */
export interface AppDeps {
  store: Store;
  /** Validated sites (see `parseSitesConfig`). */
  sites: SiteConfig[];
  /** Secret for the keyed hashes of IPs and authors. */
  ipHashKey: string;
  /** Where captcha `secretEnv` names (and outside phases' settings) are looked up; nothing is read from `process.env`. */
  secrets?: Record<string, string | undefined>;
  /** A key valid for every site (local development); null or absent on AWS. */
  devModeratorKey?: string | null;
  /** The client address of a request (socket locally, request context on Lambda). */
  clientIp?: (c: Context) => string | undefined;
  /** Extra origins allowed to call the moderation API (where the review page is hosted elsewhere). */
  moderationOrigins?: string[];
  /** Told when a comment enters the moderation queue (notifications). */
  queueListener?: QueueListener;
  /** Told when mail may be owed (local server); absent on AWS, where the table stream drives mail. */
  mailEvents?: MailEvents;
  /** The outside phases of each site (default: built from the registry for the sites that configure them). */
  outsidePhases?: OutsidePhasesForSite;
  /** More phases that ask other services; run after the site's outside phases, skipped for spam. */
  extraPhases?: Phase[];
  /** Clock and id source, injectable so tests are deterministic. */
  now?: () => Date;
  newId?: () => string;
  /** The fetch used for captcha providers and outside phases. */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Repeated thread-page reads served from memory (`READ_CACHE_MS`, built by the runtime); absent: every read goes to the store. */
  readCache?: ThreadReadCache;
}

/** Hono environment of the app: typed `c.var`. */
export interface AppEnv {
  Variables: {
    site: SiteConfig;
    /** Who is calling a moderation route (set by the key check). */
    principal: Principal;
    /** The reader the host site signed in (a valid `Authorization: Bearer <token>` on a public route), if any. */
    reader: SsoReader | undefined;
    /** Values accepted by the route's validators, by validator (see middleware/validate.ts). */
    validated: Map<unknown, unknown>;
  };
}

/** {@link AppDeps} with defaults filled in, as routes receive them. */
export type ResolvedDeps = Omit<AppDeps, "clientIp" | "logger" | "now" | "outsidePhases" | "readCache"> & {
  /** The read cache (one that always loads when none was given); writes to a thread call its `invalidate`. */
  readCache: ThreadReadCache;
  now: () => Date;
  /** Tells the queue listener (if any) that a comment entered the queue; never throws: a failure is logged. */
  announceQueued: (site: SiteConfig, comment: StoredComment) => Promise<void>;
  hasher: Hasher;
  clientIp: (c: Context) => string;
  logger: Logger;
  /** The site's outside phases followed by `extraPhases`. */
  outsidePhases: OutsidePhasesForSite;
};
