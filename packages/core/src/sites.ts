import * as z from "zod";

/** Captcha providers the service can verify against. `test` is for local development only. */
export const captchaProviders = ["recaptcha-v3", "turnstile", "hcaptcha", "test"] as const;
export type CaptchaProvider = (typeof captchaProviders)[number];

const score = z.number().min(0).max(1);

const captchaConfigSchema = z.strictObject({
  provider: z.enum(captchaProviders).default("test"),
  siteKey: z.string().min(1).nullable().default(null),
  /** Name of the environment variable holding the provider secret (secrets never sit in the file). */
  secretEnv: z.string().min(1).nullable().default(null),
  /** `null` means the provider's public siteverify URL. */
  verifyUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  timeoutMs: z.number().int().min(1).max(60_000).default(3000),
  minScore: score.default(0.3),
  reviewBelow: score.default(0.7),
  action: z.string().min(1).nullable().default("comment"),
  hostnames: z.array(z.string().min(1)).default([]),
});

/** True for http(s) URLs, where plain http is allowed only for a loopback host (local tests). */
function isSecureOrLoopback(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
}

const outboundUrl = z
  .url({ protocol: /^https?$/ })
  .refine(isSecureOrLoopback, "Must be an https URL (http only for localhost)");

/** An external moderation endpoint: receives each candidate comment and answers published, pending or spam. */
const externalHookSchema = z.strictObject({
  url: outboundUrl,
  /** A slower answer queues the comment as pending (reason `external_hook`). */
  timeoutMs: z.number().int().min(1).max(30_000).default(2000),
});

/** Languages Amazon Comprehend's `DetectToxicContent` accepts (English only so far). */
export const toxicityLanguages = ["en"] as const;

/** A toxicity check by Amazon Comprehend: a score at or above `threshold` queues the comment (reason `toxicity`). */
const toxicityConfigSchema = z.strictObject({
  provider: z.literal("comprehend"),
  threshold: score.default(0.7),
  /** `null` means the API function's own region (`AWS_REGION`). */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "Must be an AWS region such as us-east-1").nullable().default(null),
  /** `null` means Comprehend's public endpoint for the region; set for tests or a private endpoint. */
  endpoint: outboundUrl.nullable().default(null),
  languageCode: z.enum(toxicityLanguages).default("en"),
  /** A slower answer queues the comment as pending (reason `toxicity`); kept short, it holds the reader's request. */
  timeoutMs: z.number().int().min(1).max(5000).default(2000),
});

const moderationConfigSchema = z.strictObject({
  premoderateFirstComment: z.boolean().default(false),
  maxLinks: z.number().int().min(0).default(2),
  suspectWords: z.array(z.string().min(1)).default([]),
  bannedWords: z.array(z.string().min(1)).default([]),
  flagThreshold: z.number().int().min(1).default(3),
  /** Same author and same body in the same thread within this many minutes is refused (0 turns it off). */
  duplicateWindowMinutes: z.number().int().min(0).max(1440).default(10),
  externalHook: externalHookSchema.nullable().default(null),
  toxicity: toxicityConfigSchema.nullable().default(null),
  /** How long a reader may edit (and a guest delete) their comment after posting it; 0 turns editing off. */
  editWindowMinutes: z.number().int().min(0).max(10_080).default(15),
  /** Warn the writer (`422 nudge`) before queueing a comment for its language; resent with `acknowledgeNudge`, it is queued. */
  nudge: z.boolean().default(false),
});

/** Sign-in from the host site: readers come with an HS256 token the host signs with its own secret. */
const authConfigSchema = z.strictObject({
  /** Name of the environment variable holding the host's signing secret; null: no sign-in on this site. */
  ssoSecretEnv: z.string().min(1).nullable().default(null),
  /** Where the widget's "Sign in" sends a guest (unless the host handles the `comments:login` event). */
  loginUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  /** Ask signed-in readers for a captcha too (by default they skip it). */
  captchaForSignedIn: z.boolean().default(false),
});

/** Where moderators are told about comments entering the queue (signed JSON webhooks, Slack-compatible). */
const notifyConfigSchema = z.strictObject({
  webhooks: z.array(outboundUrl).default([]),
  /** A statement of reasons to the author of a rejected comment (not spam) who gave an email. */
  decisionEmails: z.boolean().default(true),
  /** At most one reply/thread mail per address per thread per this many minutes; later comments are gathered. */
  gatherMinutes: z.number().int().min(0).max(1440).default(10),
  /** A summary of the queue mailed to moderators when it is not empty. */
  moderatorDigest: z
    .strictObject({ emails: z.array(z.email()).min(1).max(20), every: z.enum(["hour", "day"]).default("day") })
    .nullable()
    .default(null),
});

const rateLimitConfigSchema = z.strictObject({
  perMinute: z.number().int().min(1).default(5),
  perHour: z.number().int().min(1).default(30),
});

const limitsConfigSchema = z.strictObject({
  maxBodyLength: z.number().int().min(1).max(20_000).default(5000),
});

/** The orders a thread page can come in (of its top-level comments; replies always oldest first). */
export const threadSorts = ["oldest", "newest", "top"] as const;
/** One of {@link threadSorts}. */
export type ThreadSort = (typeof threadSorts)[number];

/** One site, with every default applied. Unknown fields are refused so typos never pass silently. */
export const siteConfigSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "Site id must be lower-case letters, digits, - or _ (1 to 63)"),
    name: z.string().min(1).optional(),
    origins: z.array(
      z.url({ protocol: /^https?$/ }).refine((o) => new URL(o).origin === o.replace(/\/$/, ""), "Origin must be scheme://host[:port] without a path"),
    ),
    captcha: captchaConfigSchema.prefault({}),
    moderation: moderationConfigSchema.prefault({}),
    rateLimit: rateLimitConfigSchema.prefault({}),
    limits: limitsConfigSchema.prefault({}),
    notify: notifyConfigSchema.prefault({}),
    auth: authConfigSchema.prefault({}),
    closeAfterDays: z.number().int().min(1).nullable().default(null),
    /** Where an author can ask for a moderation decision to be reviewed (named in statements of reasons). */
    contactUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
    /** How often the widget checks a visible thread for new comments (0: never). */
    liveUpdateSeconds: z.number().int().min(0).max(3600).default(30),
    /** The order of a thread's top-level comments when the reader asks for none. */
    defaultSort: z.enum(threadSorts).default("oldest"),
  })
  .transform((site) => ({
    ...site,
    name: site.name ?? site.id,
    origins: site.origins.map((o) => new URL(o).origin),
  }))
  .refine((site) => site.captcha.minScore <= site.captcha.reviewBelow, {
    message: "captcha.minScore must not be above captcha.reviewBelow",
    path: ["captcha", "minScore"],
  });

/** A fully defaulted site configuration. */
export type SiteConfig = z.output<typeof siteConfigSchema>;
/** A site configuration as written in a sites file (every field but `id` and `origins` optional). */
export type SiteConfigInput = z.input<typeof siteConfigSchema>;

/** The shape of a `SITES_FILE`. */
export const sitesFileSchema = z
  .strictObject({ sites: z.array(siteConfigSchema).min(1, "Configure at least one site") })
  .refine((file) => new Set(file.sites.map((s) => s.id)).size === file.sites.length, {
    message: "Site ids must be unique",
    path: ["sites"],
  });

/** Raised when site configuration is invalid; the message names every bad field. */
export class SiteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SiteConfigError";
  }
}

/** Options checked against the running environment, not just the file. */
export interface SiteEnvironment {
  /** `production` refuses the `test` captcha provider. */
  stage?: string;
  /** Where `secretEnv` names are looked up. */
  env: Record<string, string | undefined>;
  /** Check that each real captcha provider's secret is set (default true; the notifier never sees captcha secrets). */
  checkSecrets?: boolean;
}

/**
 * Parses and validates a sites file, applying defaults.
 * Throws {@link SiteConfigError} naming each bad field (for example `sites[0].captcha.secretEnv`).
 */
export function parseSitesConfig(input: unknown, environment: SiteEnvironment): SiteConfig[] {
  const result = sitesFileSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new SiteConfigError(`Invalid sites configuration:\n  ${lines.join("\n  ")}`);
  }
  const problems: string[] = [];
  result.data.sites.forEach((site, index) => {
    const ssoSecretEnv = site.auth.ssoSecretEnv;
    if (environment.checkSecrets !== false && ssoSecretEnv !== null && !environment.env[ssoSecretEnv]) {
      problems.push(`sites[${index}].auth.ssoSecretEnv: environment variable ${ssoSecretEnv} is not set`);
    }
    const at = `sites[${index}].captcha`;
    if (site.captcha.provider === "test") {
      if (environment.stage === "production") {
        problems.push(`${at}.provider: the "test" captcha provider is refused when STAGE=production`);
      }
      return;
    }
    if (environment.checkSecrets === false) return;
    if (site.captcha.secretEnv === null) {
      problems.push(`${at}.secretEnv: required for provider "${site.captcha.provider}" (name of the variable holding the secret)`);
    } else if (!environment.env[site.captcha.secretEnv]) {
      problems.push(`${at}.secretEnv: environment variable ${site.captcha.secretEnv} is not set`);
    }
  });
  if (problems.length > 0) throw new SiteConfigError(`Invalid sites configuration:\n  ${problems.join("\n  ")}`);
  return result.data.sites;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "");
}

/** The local default site: `demo`, test captcha, origins of the local server. */
export function demoSite(port: number): SiteConfigInput {
  return {
    id: "demo",
    name: "Demo",
    origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    captcha: { provider: "test" },
  };
}
