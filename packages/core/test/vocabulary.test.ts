import { describe, expect, it } from "vitest";
import { auditActions, decisionActions, statusForDecision } from "../src/audit-actions.ts";
import { flagReasonSchema, flagReasons, decisionInputSchema } from "../src/schemas.ts";
import { captchaProviders } from "../src/sites.ts";
import { siteConfigResponseSchema } from "../src/contract.ts";
import { reasonCodes, spamReasonCodes } from "../src/reasons.ts";

describe("contract vocabulary", () => {
  it("validates flag reasons, decisions and captcha providers from the one list of each", () => {
    expect(flagReasons.every((reason) => flagReasonSchema.safeParse(reason).success)).toBe(true);
    expect(flagReasonSchema.safeParse("rude").success).toBe(false);
    expect(decisionActions.every((action) => decisionInputSchema.safeParse({ action }).success)).toBe(true);
    const provider = siteConfigResponseSchema.shape.captcha.shape.provider;
    expect(captchaProviders.every((name) => provider.safeParse(name).success)).toBe(true);
  });

  it("audits every decision, and maps each decision to the status it leads to", () => {
    expect(decisionActions.every((action) => (auditActions as readonly string[]).includes(action))).toBe(true);
    expect(statusForDecision).toEqual({ approve: "published", reject: "rejected", spam: "spam" });
  });

  it("lists the spam reasons among the reason codes", () => {
    expect(spamReasonCodes.every((code) => (reasonCodes as readonly string[]).includes(code))).toBe(true);
  });
});
