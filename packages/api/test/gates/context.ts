import { commentInputSchema, parseSitesConfig, type SiteConfigInput } from "@comments/core";
import type { Store } from "@comments/store";
import type { GateContext, GateReads } from "../../src/pipeline/gate-context.ts";

/** The reads of a reader with no ban, an open thread, empty rate windows and no author item read. */
export const clearReads = (now: Date): GateReads => ({
  ban: null,
  thread: null,
  windows: { minute: 0, hour: 0, minuteEndsAt: now.getTime() + 60_000, hourEndsAt: now.getTime() + 3_600_000, seen: null },
  author: null,
});

/**
 * A gate context for a new comment. Gates that only look at `reads` never touch the store; the parent gate's
 * test passes a real one.
 */
export function gateContext(overrides: Partial<GateContext> = {}, site: Partial<SiteConfigInput> = {}): GateContext {
  const [config] = parseSitesConfig({ sites: [{ id: "s", origins: ["https://a.example"], ...site }] }, { env: {} });
  const now = overrides.now ?? new Date("2026-03-01T12:00:00Z");
  return {
    kind: "create",
    site: config!,
    threadId: "t",
    input: commentInputSchema.parse({ author: { name: "Ann" }, body: "Hello", captchaToken: "test:0.9" }),
    ip: "203.0.113.9",
    ipHash: "ip-hash",
    authorHash: "author-hash",
    signedIn: false,
    now,
    store: null as unknown as Store,
    reads: clearReads(now),
    secrets: {},
    ...overrides,
  };
}
