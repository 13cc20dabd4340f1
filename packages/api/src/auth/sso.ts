import { errors as joseErrors, jwtVerify } from "jose";
import * as z from "zod";
import { AppError, messages } from "@comments/core";

/** A reader the host site signed in (the verified claims of its token). */
export interface SsoReader {
  /** The host site's own id for the reader; the author is the keyed hash of `sso:<sub>`. */
  sub: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  url: string | null;
  avatar: string | null;
  /** `role: "staff"` in the token: the comment shows a staff badge. */
  staff: boolean;
}

/** Options for {@link verifySsoToken}. */
export interface SsoVerifyOptions {
  /** The HS256 secret the host site signs with (the value of the site's `auth.ssoSecretEnv`). */
  secret: string;
  /** A token's `aud`, when present, must name this site. */
  siteId: string;
  now: Date;
}

/** Tokens are signed by the host's own clock: allow this much skew on `exp`, `nbf` and `iat`. */
const clockToleranceSeconds = 60;
const maxTokenLength = 8192;

const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);
const httpsUrl = z.url({ protocol: /^https$/ }).max(2000);

/** The claims we read; anything else in the token is ignored. */
const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  name: z
    .string()
    .transform((name) => name.trim())
    .pipe(z.string().min(1).max(100)),
  exp: z.number(),
  email: z.email().max(254).optional(),
  email_verified: z.boolean().optional(),
  url: httpUrl.optional(),
  avatar: httpsUrl.optional(),
  role: z.string().max(64).optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
});

/** The one 401 every bad token gets; the reason stays in the logs (`cause`), never in the answer. */
export function invalidToken(reason: string): AppError {
  return new AppError("invalid_token", messages.invalidToken, { cause: reason });
}

/**
 * Verifies a host-signed reader token: HS256 only (`none`, HS512 and every other `alg` are refused), signature,
 * `exp` (required) with 60 s of clock skew, `sub` and `name` present, `aud` naming this site when present.
 * Throws `invalid_token` for anything else.
 * @example const reader = await verifySsoToken(token, { secret, siteId: "demo", now: new Date() });
 */
export async function verifySsoToken(token: string, options: SsoVerifyOptions): Promise<SsoReader> {
  if (token.length === 0 || token.length > maxTokenLength) throw invalidToken("token empty or too long");
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(options.secret), {
      algorithms: ["HS256"],
      clockTolerance: clockToleranceSeconds,
      currentDate: options.now,
      requiredClaims: ["exp", "sub"],
    }));
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.code : "not a token";
    throw invalidToken(reason);
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw invalidToken(`claim ${claims.error.issues[0]?.path.join(".") ?? "?"} is invalid`);
  const { aud } = claims.data;
  if (aud !== undefined && !(Array.isArray(aud) ? aud.includes(options.siteId) : aud === options.siteId)) {
    throw invalidToken("aud names another site");
  }
  return {
    sub: claims.data.sub,
    name: claims.data.name,
    email: claims.data.email ?? null,
    emailVerified: claims.data.email_verified === true,
    url: claims.data.url ?? null,
    avatar: claims.data.avatar ?? null,
    staff: claims.data.role === "staff",
  };
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is no such header. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw invalidToken("Authorization header is not a Bearer token");
  return match[1];
}
