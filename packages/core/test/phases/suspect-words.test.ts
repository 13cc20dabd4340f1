import { describe, expect, it } from "vitest";
import { suspectWordsPhase } from "../../src/pipeline/index.ts";
import { phaseContext } from "./context.ts";

describe("suspect words phase", () => {
  it("queues a comment with a suspect word and names every word found", () => {
    const site = { moderation: { suspectWords: ["casino", "loan"] } };
    expect(suspectWordsPhase(phaseContext({ body: "A casino loan" }, site))).toEqual({ status: "pending", reason: "suspect_words", detail: "suspect word: casino, loan", aboutLanguage: true });
    expect(suspectWordsPhase(phaseContext({ body: "Nothing to see" }, site))).toBeUndefined();
  });
});
