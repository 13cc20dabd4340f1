import { SignJWT } from "jose";
import { site } from "./harness.ts";
import type { SiteConfigInput } from "@comments/core";

/** The host site's signing secret in the sign-in tests, held in the variable {@link ssoSecretEnv}. */
export const ssoSecret = "host-site-signing-secret-0123456789";
export const ssoSecretEnv = "NEWS_SSO_SECRET";

/** Secrets for `testApp` that hold the host's signing secret. */
export const ssoSecrets = { [ssoSecretEnv]: ssoSecret };

/** The `demo` test site with sign-in turned on (and the given overrides). */
export function signInSite(overrides: Partial<SiteConfigInput> = {}): SiteConfigInput {
  return site({ ...overrides, auth: { ssoSecretEnv, ...overrides.auth } });
}

/** A reader token as a host site signs it: HS256 with {@link ssoSecret}, valid for ten minutes unless `exp` is given. */
export function readerToken(claims: Record<string, unknown> = {}, { alg = "HS256", key = ssoSecret } = {}): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + 600;
  return new SignJWT({ sub: "reader-42", name: "Ada Lovelace", exp, ...claims }).setProtectedHeader({ alg }).sign(new TextEncoder().encode(key));
}

/** `Authorization: Bearer <token>`. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
