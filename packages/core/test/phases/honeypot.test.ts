import { describe, expect, it } from "vitest";
import { honeypotPhase } from "../../src/pipeline/index.ts";
import { phaseContext } from "./context.ts";

describe("honeypot phase", () => {
  it("marks a comment spam when the hidden field is filled, and ignores blanks", () => {
    expect(honeypotPhase(phaseContext({ website: "http://bot.example" }))).toEqual({ status: "spam", reason: "honeypot", detail: "hidden honeypot field was filled" });
    expect(honeypotPhase(phaseContext({ website: "   " }))).toBeUndefined();
    expect(honeypotPhase(phaseContext({ website: undefined }))).toBeUndefined();
  });
});
