import { describe, expect, it } from "vitest";
import { isAppError } from "../../src/errors.ts";
import { captchaScorePhase } from "../../src/pipeline/index.ts";
import { phaseContext } from "./context.ts";

describe("captcha score phase", () => {
  it("passes a score at or above reviewBelow and a provider without scores", () => {
    expect(captchaScorePhase(phaseContext({ captcha: { kind: "passed", score: 0.7 } }))).toBeUndefined();
    expect(captchaScorePhase(phaseContext({ captcha: { kind: "passed", score: null } }))).toBeUndefined();
  });

  it("queues a score below reviewBelow, and an unavailable provider, with the reason in plain words", () => {
    expect(captchaScorePhase(phaseContext({ captcha: { kind: "passed", score: 0.5 } }))).toEqual({ status: "pending", reason: "captcha_low_score", detail: "captcha score 0.5 below 0.7" });
    expect(captchaScorePhase(phaseContext({ captcha: { kind: "unavailable", detail: "timeout" } }))).toEqual({
      status: "pending",
      reason: "captcha_unavailable",
      detail: "captcha provider unavailable (timeout)",
    });
  });

  it("refuses a score below minScore", () => {
    let thrown: unknown;
    try {
      captchaScorePhase(phaseContext({ captcha: { kind: "passed", score: 0.1 } }));
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown, "captcha_score_too_low")).toBe(true);
  });
});
