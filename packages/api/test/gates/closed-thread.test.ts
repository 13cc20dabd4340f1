import { describe, expect, it } from "vitest";
import { closedThreadGate } from "../../src/pipeline/gates/index.ts";
import { clearReads, gateContext } from "./context.ts";

describe("closed thread gate", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const threadStartedDaysAgo = (days: number) => ({ ...clearReads(now), thread: { firstCommentAt: new Date(now.getTime() - days * 86_400_000).toISOString() } as never });

  it("refuses a comment on a thread whose first comment is older than closeAfterDays (409 thread_closed)", () => {
    expect(() => closedThreadGate(gateContext({ now, reads: threadStartedDaysAgo(8) }, { closeAfterDays: 7 }))).toThrow(expect.objectContaining({ code: "thread_closed" }));
  });

  it("keeps younger threads, and every thread of a site that never closes them, open", () => {
    expect(closedThreadGate(gateContext({ now, reads: threadStartedDaysAgo(6) }, { closeAfterDays: 7 }))).toBeUndefined();
    expect(closedThreadGate(gateContext({ now, reads: threadStartedDaysAgo(800) }))).toBeUndefined();
  });
});
