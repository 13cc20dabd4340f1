import { describe, expect, it } from "vitest";
import { firstCommentPhase } from "../../src/pipeline/index.ts";
import { phaseContext } from "./context.ts";

describe("first comment phase", () => {
  it("queues an author with nothing published only where the site pre-moderates first comments", () => {
    const premoderated = { moderation: { premoderateFirstComment: true } };
    expect(firstCommentPhase(phaseContext({ authorHasPublished: false }, premoderated))).toEqual({
      status: "pending",
      reason: "first_comment",
      detail: "first comment by this author on the site",
    });
    expect(firstCommentPhase(phaseContext({ authorHasPublished: true }, premoderated))).toBeUndefined();
    expect(firstCommentPhase(phaseContext({ authorHasPublished: false }))).toBeUndefined();
  });
});
