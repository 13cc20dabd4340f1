import { AppError, messages } from "@comments/core";
import { verifyCaptcha } from "../../captcha/verify.ts";
import type { Gate } from "../gate-context.ts";

/**
 * Asks the site's captcha provider about the reader's token. A clear "no" refuses (`403 captcha_failed`);
 * a pass or an outage is kept on the context for the captcha-score phase (an outage queues, never loses).
 */
export const captchaGate: Gate = async (context) => {
  const { site, input } = context;
  if (context.signedIn && !site.auth.captchaForSignedIn) {
    context.captcha = { kind: "passed", score: null };
    return;
  }
  const outcome = await verifyCaptcha({
    site,
    token: input.captchaToken,
    remoteIp: context.ip,
    secret: site.captcha.secretEnv ? context.secrets[site.captcha.secretEnv] : undefined,
    ...(context.fetch ? { fetch: context.fetch } : {}),
  });
  if (outcome.kind === "failed") throw new AppError("captcha_failed", messages.captchaFailed);
  context.captcha = outcome;
};
