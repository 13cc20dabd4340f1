/** The well-known moderator key of a development machine: accepted only while listening on loopback. */
export const devModeratorKey = "dev-moderator-key";

/** The shortest `MODERATOR_KEY` accepted off loopback and in production. */
export const minModeratorKeyLength = 24;

/** A configuration `npm start` refuses; its message is one line meant for the person starting it. */
export class StartupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupRefused";
  }
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** How the one-machine server runs, decided from the environment before anything starts. */
export interface StartProfile {
  /** Address to listen on (`HOST`, default 127.0.0.1). */
  hostname: string;
  loopback: boolean;
  /** `STAGE=production`: no default key, no demo pages (the `test` captcha is refused by the sites loader). */
  production: boolean;
  /** The key valid for every site: `MODERATOR_KEY`, the dev key on loopback, or null for none. */
  moderatorKey: string | null;
  /** Whether the demo article pages are served. */
  demoPages: boolean;
}

const keyAdvice = `set MODERATOR_KEY to a secret of at least ${minModeratorKeyLength} characters (for example: openssl rand -base64 32)`;

/**
 * Decides the profile or refuses to start: off loopback (and with `STAGE=production`) a `MODERATOR_KEY` of at
 * least 24 characters is required, so the documented dev key never moderates from the network.
 * `moderatorKey` overrides `MODERATOR_KEY` (null: no key valid for every site).
 */
export function startProfile(env: Record<string, string | undefined>, moderatorKey?: string | null): StartProfile {
  const hostname = env.HOST?.trim() || "127.0.0.1";
  const loopback = isLoopbackHost(hostname);
  const production = env.STAGE === "production";
  const given = moderatorKey !== undefined ? moderatorKey : env.MODERATOR_KEY || undefined;
  const exposed = !loopback || production;
  const where = !loopback ? `HOST=${hostname} is not a loopback address` : "STAGE=production";
  if (given === undefined && exposed) throw new StartupRefused(`Refusing to start: ${where} and MODERATOR_KEY is not set; ${keyAdvice}.`);
  if (typeof given === "string" && exposed && given.length < minModeratorKeyLength) {
    throw new StartupRefused(`Refusing to start: ${where} and MODERATOR_KEY is shorter than ${minModeratorKeyLength} characters; ${keyAdvice}.`);
  }
  return { hostname, loopback, production, moderatorKey: given === undefined ? devModeratorKey : given, demoPages: !production };
}
