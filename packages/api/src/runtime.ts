import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SiteConfig, SiteConfigInput } from "@comments/core";
import { createClients, createStore, type DocumentClientOptions, type Store } from "@comments/store";
import { loadSites } from "./config.ts";
import type { AppDeps } from "./deps.ts";
import { createHasher, type Hasher } from "./hashing.ts";
import { jsonLogger, type Logger } from "./logger.ts";
import { outsidePhasesFor, type OutsidePhasesForSite } from "./pipeline/outside/registry.ts";
import { createThreadReadCache, type ThreadReadCache } from "./read-cache.ts";

type Env = Record<string, string | undefined>;

/** Where the IP-hash key comes from when `IP_HASH_KEY` is not set. */
export interface IpHashKeySource {
  /** Folder holding `ip-hash.key` (the local server's DATA_DIR); null: nothing on disk. */
  dataDir: string | null;
  /** Create the key when it is missing (a store this process owns), or refuse (a store shared with an API). */
  createIfMissing: boolean;
}

/** Raised when no IP-hash key can be found and none may be made. */
export class IpHashKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IpHashKeyError";
  }
}

/**
 * The one IP-hash key loader: `IP_HASH_KEY`, else `ip-hash.key` in the data folder (created on first use when
 * `createIfMissing`), else, without a folder, a fresh key for this process only (memory-only local runs).
 * Every writer of author hashes (API, importers, data requests) must use the same key.
 */
export function loadIpHashKey(env: Env, source: IpHashKeySource): string {
  if (env.IP_HASH_KEY) return env.IP_HASH_KEY;
  if (source.dataDir === null) {
    if (source.createIfMissing) return randomBytes(32).toString("hex");
    throw new IpHashKeyError("IP_HASH_KEY is not set. Author hashes must be made with the same key as the API's: set IP_HASH_KEY to the deployment's key.");
  }
  const file = join(source.dataDir, "ip-hash.key");
  if (!existsSync(file)) {
    if (!source.createIfMissing) {
      throw new IpHashKeyError(
        `IP_HASH_KEY is not set and ${file} does not exist. Author hashes must be made with the same key as the API's: ` +
          "set IP_HASH_KEY to the deployment's key (or DATA_DIR to the local server's data folder).",
      );
    }
    mkdirSync(source.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** A comma-separated environment list (blank entries dropped). */
export const listFromEnv = (value: string | undefined): string[] => (value ?? "").split(",").map((item) => item.trim()).filter(Boolean);

/** Options for {@link createRuntime}; each part can be given directly (tests, hosts) instead of read from `env`. */
export interface RuntimeOptions {
  /** The environment; the only place it is read. Default `process.env`. */
  env?: Env;
  /** Secrets from elsewhere (SST links), looked up like environment variables and winning over `env`. */
  secrets?: Env;
  /** Sites given directly; default `SITES_JSON`, `SITES_FILE`, else {@link RuntimeOptions.defaultSites}. */
  sites?: SiteConfigInput[];
  /** Sites when the environment names none (the local `demo` site); default none, which is an error. */
  defaultSites?: () => SiteConfigInput[];
  /** Check captcha secrets at start-up (default true; the notifier, which never sees them, turns it off). */
  checkCaptchaSecrets?: boolean;
  /** The IP-hash key itself (an SST secret on Lambda); else loaded by {@link loadIpHashKey} from `ipHashKeySource`. */
  ipHashKey?: string;
  /** Where to look for the key when neither `ipHashKey` nor `IP_HASH_KEY` is set; default: refuse. */
  ipHashKeySource?: IpHashKeySource;
  /** The store to use (tests); else one is opened on `table`. */
  store?: Store;
  /** The table to open: its name, and client options (endpoint default `DYNAMODB_ENDPOINT`, else AWS). */
  table?: { name: string } & DocumentClientOptions;
  logger?: Logger;
  /** The fetch used for captcha providers and outside phases (tests point it at stand-ins). */
  fetch?: typeof fetch;
  now?: () => Date;
  /**
   * What an unset `READ_CACHE_MS` means. The hosts that serve readers (Lambda, the local server) pass the documented
   * default, {@link defaultReadCacheMs}; tests and command-line tools leave it at 0, so a write made straight to the
   * store is read back at once.
   */
  readCacheDefaultMs?: number;
  /** The read cache's clock in milliseconds (tests); default `Date.now`. */
  readCacheClock?: () => number;
}

/** `READ_CACHE_MS` on the local server and Lambda when unset: a hot thread is read from the store at most once a second per process. */
export const defaultReadCacheMs = 1000;

/** `READ_CACHE_MS`: whole milliseconds, 0 turns the cache off. */
export function readCacheMsFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`READ_CACHE_MS must be a whole number of milliseconds (0 turns the read cache off), not "${value}"`);
  return ms;
}

/** What a host (Lambda, notifier, local server, CLI) builds once per process from its environment. */
export interface Runtime {
  env: Env;
  /** `env` with `secrets` over it: where `secretEnv` names and outside phases' settings are looked up. */
  secrets: Env;
  sites: SiteConfig[];
  logger: Logger;
  /** The IP-hash key and the keyed hasher made from it (null when the host needs no hashing, like the notifier). */
  ipHashKey: string | null;
  hasher: Hasher | null;
  /** The open store, or null when no store or table was given. */
  store: Store | null;
  /** The DynamoDB client this runtime opened on `table` (command-line tools set up or check the table with it), else null. */
  client: ReturnType<typeof createClients>["client"] | null;
  /** The outside phases of each site, built once from the registry. */
  outsidePhases: OutsidePhasesForSite;
  /** `MODERATION_ORIGINS`: where a review page hosted elsewhere may call the moderation API from. */
  moderationOrigins: string[];
  /** `TRUSTED_PROXY_HOPS`: proxies in front of the server that append to `X-Forwarded-For`. */
  trustedProxyHops: number;
  /** This process's thread read cache (`READ_CACHE_MS`), shared by every app built from this runtime. */
  readCache: ThreadReadCache;
  /** The app's dependencies from this runtime, with what only the host knows (client IP, dev key, listeners). */
  appDeps(host?: Partial<AppDeps>): AppDeps;
  /** Closes the clients this runtime opened. */
  close(): void;
}

/**
 * The composition root: sites, secrets, clients, logger, hashing key and phases, built once from the environment.
 * Lambda builds it at module scope, the local server and the CLIs at start; tests pass the parts they replace.
 * @example const runtime = createRuntime({ env: process.env, table: { name: "comments" } });
 *          const app = createApp(runtime.appDeps({ clientIp }));
 */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const secrets = { ...env, ...options.secrets };
  const checkSecrets = options.checkCaptchaSecrets ?? true;
  const sites = options.sites
    ? loadSites({ ...secrets, SITES_JSON: JSON.stringify({ sites: options.sites }), SITES_FILE: undefined }, () => [], { checkSecrets })
    : loadSites(secrets, options.defaultSites ?? (() => []), { checkSecrets });
  const logger = options.logger ?? jsonLogger;
  // A host that gives no key and no place to find one (the notifier) hashes nothing.
  const ipHashKey =
    options.ipHashKey ?? (env.IP_HASH_KEY || options.ipHashKeySource ? loadIpHashKey(env, options.ipHashKeySource ?? { dataDir: null, createIfMissing: false }) : null);
  const hasher = ipHashKey === null ? null : createHasher(ipHashKey);

  let clients: ReturnType<typeof createClients> | null = null;
  let store: Store | null = options.store ?? null;
  if (!store && options.table) {
    const { name, ...clientOptions } = options.table;
    const endpoint = clientOptions.endpoint ?? env.DYNAMODB_ENDPOINT;
    clients = createClients({ ...clientOptions, ...(endpoint ? { endpoint } : {}) });
    store = createStore(clients.documentClient, name);
  }
  const moderationOrigins = listFromEnv(env.MODERATION_ORIGINS);
  const readCache = createThreadReadCache({
    ttlMs: readCacheMsFrom(env.READ_CACHE_MS, options.readCacheDefaultMs ?? 0),
    ...(options.readCacheClock ? { now: options.readCacheClock } : {}),
  });
  const outsidePhases = outsidePhasesFor(sites, { env: secrets, logger, ...(options.fetch ? { fetch: options.fetch } : {}) });

  return {
    env,
    secrets,
    sites,
    logger,
    ipHashKey,
    hasher,
    store,
    client: clients?.client ?? null,
    outsidePhases,
    moderationOrigins,
    trustedProxyHops: Number(env.TRUSTED_PROXY_HOPS ?? 0),
    readCache,
    appDeps(host = {}) {
      if (!store && !host.store) throw new Error("createRuntime: give `store` or `table` to build the app");
      if (ipHashKey === null && !host.ipHashKey) throw new IpHashKeyError("IP_HASH_KEY is not set (the app hashes IP addresses and authors with it).");
      return {
        store: store!,
        sites,
        ipHashKey: ipHashKey!,
        secrets,
        logger,
        outsidePhases,
        moderationOrigins,
        readCache,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...host,
      };
    },
    close() {
      clients?.client.destroy();
    },
  };
}
