import type { CaptchaOutcome, CaptchaProvider, SiteConfig } from "@comments/core";

/** Public siteverify endpoints, used when a site's `verifyUrl` is null. */
export const defaultVerifyUrls: Record<Exclude<CaptchaProvider, "test">, string> = {
  "recaptcha-v3": "https://www.google.com/recaptcha/api/siteverify",
  turnstile: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
  hcaptcha: "https://api.hcaptcha.com/siteverify",
};

/** Error codes that describe our configuration, not the reader: the comment is kept, not refused. */
const secretErrors = new Set(["missing-input-secret", "invalid-input-secret", "invalid-or-already-seen-secret", "sitekey-secret-mismatch"]);

/** What we read from a siteverify answer (field names differ a little between providers). */
interface SiteverifyAnswer {
  success?: unknown;
  score?: unknown;
  action?: unknown;
  hostname?: unknown;
  "error-codes"?: unknown;
}

/** Everything a verification needs. */
export interface CaptchaRequest {
  site: SiteConfig;
  token: string;
  remoteIp: string;
  /** The provider secret (looked up from `secretEnv`); unused by `test`. */
  secret: string | undefined;
  fetch?: typeof fetch;
}

/**
 * Asks the site's captcha provider about a reader's token.
 * Only a clear "no" about the token (or a wrong action or hostname) is `failed`; timeouts, network errors,
 * 5xx, non-JSON answers and secret errors are `unavailable`, so the comment is queued instead of lost.
 */
export async function verifyCaptcha(request: CaptchaRequest): Promise<CaptchaOutcome> {
  const { site, token } = request;
  const config = site.captcha;
  if (config.provider === "test") return verifyTestToken(token);

  const url = config.verifyUrl ?? defaultVerifyUrls[config.provider];
  const form = new URLSearchParams({ secret: request.secret ?? "", response: token, remoteip: request.remoteIp });
  if (config.provider === "hcaptcha" && config.siteKey) form.set("sitekey", config.siteKey);

  let answer: SiteverifyAnswer;
  try {
    const response = await (request.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (response.status >= 500) return { kind: "unavailable", detail: `provider answered ${response.status}` };
    const text = await response.text();
    try {
      answer = JSON.parse(text) as SiteverifyAnswer;
    } catch {
      return { kind: "unavailable", detail: `provider answered ${response.status} without JSON` };
    }
    if (!answer || typeof answer !== "object") return { kind: "unavailable", detail: "provider answer is not an object" };
  } catch (error) {
    const name = (error as Error).name;
    return { kind: "unavailable", detail: name === "TimeoutError" || name === "AbortError" ? "timeout" : "network error" };
  }

  const errorCodes = Array.isArray(answer["error-codes"]) ? answer["error-codes"].map(String) : [];
  if (answer.success !== true) {
    if (errorCodes.some((code) => secretErrors.has(code))) {
      return { kind: "unavailable", detail: `provider rejected our secret (${errorCodes.join(", ")})` };
    }
    if (answer.success === false) return { kind: "failed", detail: errorCodes.join(", ") || "token rejected" };
    return { kind: "unavailable", detail: "provider answer has no success field" };
  }

  if (config.action !== null && typeof answer.action === "string" && answer.action !== "" && answer.action !== config.action) {
    return { kind: "failed", detail: `action ${answer.action} is not ${config.action}` };
  }
  if (config.hostnames.length > 0) {
    const hostname = typeof answer.hostname === "string" ? answer.hostname.toLowerCase() : null;
    if (hostname === null || !config.hostnames.some((h) => h.toLowerCase() === hostname)) {
      return { kind: "failed", detail: `hostname ${hostname ?? "(none)"} is not allowed` };
    }
  }

  const raw = typeof answer.score === "number" && Number.isFinite(answer.score) ? answer.score : null;
  // hCaptcha Enterprise scores run the other way: 1 means bot.
  const score = raw === null ? null : config.provider === "hcaptcha" ? 1 - raw : raw;
  return { kind: "passed", score: score === null ? null : Math.round(score * 1000) / 1000 };
}

/** The dev-only `test` provider: `test:<score>` with a score in 0..1 passes with that score. */
export function verifyTestToken(token: string): CaptchaOutcome {
  const match = /^test:(\d+(?:\.\d+)?)$/.exec(token);
  const score = match ? Number(match[1]) : Number.NaN;
  if (!Number.isFinite(score) || score < 0 || score > 1) return { kind: "failed", detail: "test token rejected" };
  return { kind: "passed", score };
}
