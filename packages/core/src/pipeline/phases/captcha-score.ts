import { AppError } from "../../errors.ts";
import { messages } from "../../messages.ts";
import { reasonDetails } from "../../reasons.ts";
import type { Phase } from "../context.ts";

/** Score below `minScore` refuses; below `reviewBelow` queues; an outage queues. */
export const captchaScorePhase: Phase = ({ site, captcha }) => {
  if (captcha.kind === "unavailable") {
    return { status: "pending", reason: "captcha_unavailable", detail: reasonDetails.captchaUnavailable(captcha.detail) };
  }
  if (captcha.score === null) return undefined;
  if (captcha.score < site.captcha.minScore) {
    throw new AppError("captcha_score_too_low", messages.captchaScoreTooLow);
  }
  if (captcha.score < site.captcha.reviewBelow) {
    return { status: "pending", reason: "captcha_low_score", detail: reasonDetails.captchaLowScore(captcha.score, site.captcha.reviewBelow) };
  }
  return undefined;
};
