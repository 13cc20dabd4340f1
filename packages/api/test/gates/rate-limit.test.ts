import { describe, expect, it } from "vitest";
import { rateLimitGate } from "../../src/pipeline/gates/index.ts";
import { clearReads, gateContext } from "./context.ts";

describe("rate limit gate", () => {
  const now = new Date("2026-03-01T12:00:30Z");

  it("refuses the comment over the per-minute count with 429 rate_limited and whole seconds to wait", () => {
    const reads = { ...clearReads(now), windows: { minute: 5, hour: 5, minuteEndsAt: now.getTime() + 29_500, hourEndsAt: now.getTime() + 1_000_000, seen: null } };
    expect(() => rateLimitGate(gateContext({ now, reads }))).toThrow(expect.objectContaining({ code: "rate_limited", retryAfter: 30 }));
  });

  it("refuses over the per-hour count, and lets a reader under both through", () => {
    const hourFull = { ...clearReads(now), windows: { minute: 0, hour: 30, minuteEndsAt: now.getTime() + 1000, hourEndsAt: now.getTime() + 600_000, seen: null } };
    expect(() => rateLimitGate(gateContext({ now, reads: hourFull }))).toThrow(expect.objectContaining({ code: "rate_limited" }));
    expect(rateLimitGate(gateContext({ now }))).toBeUndefined();
  });
});
