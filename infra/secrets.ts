import { requiredSecrets, sstSecretName } from "./secret-names.ts";
import { sites } from "./sites.ts";

const secret = (envName: string) => new sst.Secret(sstSecretName(envName));

/** HMAC key for client IPs and authors (`npx sst secret set IpHashKey …`). */
export const ipHashKey = secret(requiredSecrets.ipHashKey);
/** Signs moderator webhooks and external hook calls (`npx sst secret set WebhookSigningKey …`). */
export const webhookSigningKey = secret(requiredSecrets.webhookSigningKey);
/** One secret per captcha `secretEnv` the stage's sites name, e.g. RECAPTCHA_SECRET → RecaptchaSecret. */
export const captchaSecrets = sites.captchaSecrets.map(secret);

/** Every secret the API function links; it reads them through `Resource`. */
export const apiSecrets = [ipHashKey, webhookSigningKey, ...captchaSecrets];
