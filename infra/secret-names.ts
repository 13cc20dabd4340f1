/**
 * How environment-style secret names (what `captcha.secretEnv` and the app read, e.g. `RECAPTCHA_SECRET`)
 * map to SST secret names (`RecaptchaSecret`, set with `npx sst secret set RecaptchaSecret …`).
 *
 * Zero SST imports: deploy-time code (infra) and the Lambda (functions/api.ts) share this one rule.
 */

/** Environment-style names this rule can map both ways: upper-case words joined by `_`, each starting with a letter. */
export const secretEnvPattern = /^[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*$/;

/**
 * The SST secret name for an environment-style name.
 * @example sstSecretName("RECAPTCHA_SECRET") === "RecaptchaSecret"
 */
export function sstSecretName(envName: string): string {
  if (!secretEnvPattern.test(envName)) {
    throw new Error(`${envName}: secret names on AWS must be upper-case words joined by "_", each starting with a letter (e.g. RECAPTCHA_SECRET)`);
  }
  return envName
    .split("_")
    .map((word) => word[0] + word.slice(1).toLowerCase())
    .join("");
}

/**
 * The environment-style name for an SST secret name (the inverse of {@link sstSecretName}).
 * @example secretEnvName("WebhookSigningKey") === "WEBHOOK_SIGNING_KEY"
 */
export function secretEnvName(sstName: string): string {
  return sstName.replace(/(?<=.)([A-Z])/g, "_$1").toUpperCase();
}

/** Secrets every stage has, whatever its sites use (environment-style names). */
export const requiredSecrets = {
  /** Keys the HMAC of client IPs and authors; changing it forgets every ban and rate-limit window. */
  ipHashKey: "IP_HASH_KEY",
  /** Signs moderator webhooks and external moderation hook calls. */
  webhookSigningKey: "WEBHOOK_SIGNING_KEY",
} as const;
