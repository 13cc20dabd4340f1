import { describe, expect, it } from "vitest";
import { commentInputSchema } from "@comments/core";
import { captchaGate } from "../../src/pipeline/gates/index.ts";
import { gateContext } from "./context.ts";

const withToken = (captchaToken: string) => commentInputSchema.parse({ author: { name: "Ann" }, body: "Hello", captchaToken });

describe("captcha gate", () => {
  it("keeps the provider's pass and score for the content phases", async () => {
    const context = gateContext({ input: withToken("test:0.42") });
    await captchaGate(context);
    expect(context.captcha).toEqual({ kind: "passed", score: 0.42 });
  });

  it("refuses a token the provider rejects with 403 captcha_failed and the original message", async () => {
    await expect(captchaGate(gateContext({ input: withToken("test:fail") }))).rejects.toMatchObject({ code: "captcha_failed", message: "Captcha verification failed!" });
  });
});
