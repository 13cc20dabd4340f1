import type { Context } from "hono";
import type { Phase, SiteConfig, StoredComment } from "@comments/core";
import type { Store } from "@comments/store";
import type { Logger } from "./error-mapper.ts";
import type { Moderator } from "./moderator-keys.ts";

/** Receives comments that just entered the moderation queue (never spam). */
export interface QueueListener {
  commentQueued(site: SiteConfig, comment: StoredComment): void | Promise<void>;
}

/** What {@link createApp} needs from its host (Lambda or the local server). */
export interface AppDeps {
  store: Store;
  /** Validated sites (see `parseSitesConfig`). */
  sites: SiteConfig[];
  /** Secret for the keyed hashes of IPs and authors. */
  ipHashKey: string;
  /** Where captcha `secretEnv` names are looked up (defaults to `process.env`). */
  secrets?: Record<string, string | undefined>;
  /** A key valid for every site (local development); null or absent on AWS. */
  devModeratorKey?: string | null;
  /** The client address of a request (socket locally, request context on Lambda). */
  clientIp?: (c: Context) => string | undefined;
  /** Extra origins allowed to call the moderation API (where the review page is hosted elsewhere). */
  moderationOrigins?: string[];
  /** Told when a comment enters the moderation queue (notifications). */
  queueListener?: QueueListener;
  /** Phases that ask other services (external hook, toxicity model); run after the built-in phases, skipped for spam. */
  extraPhases?: Phase[];
  /** Clock and id source, injectable so tests are deterministic. */
  now?: () => Date;
  newId?: () => string;
  /** The fetch used for captcha providers. */
  fetch?: typeof fetch;
  logger?: Logger;
}

/** Hono environment of the app: typed `c.var`. */
export interface AppEnv {
  Variables: {
    site: SiteConfig;
    moderator: Moderator;
  };
}

/** {@link AppDeps} with defaults filled in, as routes receive them. */
export type ResolvedDeps = Omit<AppDeps, "clientIp" | "logger" | "now"> & {
  now: () => Date;
  /** Tells the queue listener (if any) that a comment entered the queue; never throws: a failure is logged. */
  announceQueued: (site: SiteConfig, comment: StoredComment) => Promise<void>;
  hasher: import("./hashing.ts").Hasher;
  clientIp: (c: Context) => string;
  logger: Logger;
};
