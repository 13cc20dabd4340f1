import { attribute } from "./config.ts";

/** A reader the host site signed in: the token travels to the API, the rest is shown on this device. */
export interface Session {
  token: string;
  sub: string;
  name: string;
}

/** The token attributes; `element.login()` / `logout()` set and remove the first, so one source drives both. */
export const tokenAttributes = ["data-sso-token", "sso-token"];

/** The SSO token the host page gave (`data-sso-token`, or `sso-token` on `<comment-thread>`), if any. */
export const readToken = (host: Element): string | null => attribute(host, "sso-token")?.trim() || null;

/** Allowed clock difference, as on the server. */
const skewMs = 60_000;

/**
 * What the widget shows about a signed-in reader, read from the token's payload. This is display only: the
 * server verifies the signature on every write and answers 401 `invalid_token` to a bad one. A token that
 * cannot be read, lacks `sub` or `name`, or has expired is null here, so the reader is never shown as signed
 * in with a token the server would refuse anyway.
 */
export function readSession(token: string, now = Date.now()): Session | null {
  try {
    const part = token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown; name?: unknown; exp?: unknown };
    const { sub, name, exp } = claims;
    if (typeof sub !== "string" || !sub || typeof name !== "string" || !name.trim()) return null;
    if (typeof exp !== "number" || exp * 1000 + skewMs < now) return null;
    return { token, sub, name };
  } catch {
    return null;
  }
}
