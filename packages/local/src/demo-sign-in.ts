import { Hono } from "hono";
import { SignJWT } from "jose";
import { demoSite, type SiteConfigInput } from "@comments/core";

/**
 * "Sign in as a demo reader" on the local server: the `demo` site signs readers in with a development secret,
 * and `GET /demo/sso-token` mints a token for it the way a host site's backend would. Never on AWS, never with
 * `STAGE=production`, never for sites from a sites file.
 */

/** The variable holding the demo site's signing secret (set it to try your own; a development default otherwise). */
export const demoSsoSecretEnv = "DEMO_SSO_SECRET";

/** The demo site's signing secret when `DEMO_SSO_SECRET` is not set. Public on purpose: it signs demo readers only. */
export const devDemoSsoSecret = "demo-sso-secret-for-local-development-only";

/** How long a demo token is valid. */
const demoTokenSeconds = 3600;

/** The local `demo` site with sign-in turned on. */
export function demoSignInSite(port: number): SiteConfigInput {
  return { ...demoSite(port), auth: { ssoSecretEnv: demoSsoSecretEnv } };
}

/** The two demo readers: a reader, and a member of staff (staff badge). */
const demoReaders = {
  reader: { sub: "demo-reader", name: "Demo Reader" },
  staff: { sub: "demo-staff", name: "Demo Editor", role: "staff" },
} as const;

/**
 * `GET /demo/sso-token?role=reader|staff` → 200 `{"token", "expiresAt", "reader": {"sub", "name", "role"}}`:
 * an HS256 token for the `demo` site, valid one hour. Any other `role` is 400 `validation_failed`.
 */
export function demoSignInRoutes(secret: string, now: () => Date = () => new Date()): Hono {
  const app = new Hono();
  app.get("/demo/sso-token", async (c) => {
    const role = c.req.query("role") ?? "reader";
    if (role !== "reader" && role !== "staff") {
      return c.json({ error: { code: "validation_failed", message: "Please correct the highlighted fields.", fields: { role: "Role must be reader or staff" } } }, 400);
    }
    const reader = demoReaders[role];
    const issuedAt = Math.floor(now().getTime() / 1000);
    const token = await new SignJWT({ ...reader, aud: "demo" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + demoTokenSeconds)
      .sign(new TextEncoder().encode(secret));
    c.header("Cache-Control", "no-store");
    return c.json({
      token,
      expiresAt: new Date((issuedAt + demoTokenSeconds) * 1000).toISOString(),
      reader: { sub: reader.sub, name: reader.name, role },
    });
  });
  return app;
}
