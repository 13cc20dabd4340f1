import { describe, expect, it } from "vitest";
import { banGate } from "../../src/pipeline/gates/index.ts";
import { clearReads, gateContext } from "./context.ts";

describe("ban gate", () => {
  it("refuses a banned author with 403 author_banned and lets anyone else through", () => {
    const now = new Date();
    const banned = gateContext({ now, reads: { ...clearReads(now), ban: { banId: "b" } } });
    expect(() => banGate(banned)).toThrow(expect.objectContaining({ code: "author_banned", message: "You can no longer comment on this site." }));
    expect(banGate(gateContext({ now }))).toBeUndefined();
  });
});
