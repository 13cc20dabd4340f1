import { describe, expect, it } from "vitest";
import { bannedWordsPhase } from "../../src/pipeline/index.ts";
import { phaseContext } from "./context.ts";

describe("banned words phase", () => {
  it("marks a comment spam when a banned word occurs as a whole word, ignoring case", () => {
    const site = { moderation: { bannedWords: ["viagra"] } };
    expect(bannedWordsPhase(phaseContext({ body: "Cheap VIAGRA here" }, site))).toEqual({ status: "spam", reason: "banned_words", detail: "banned word: viagra" });
    expect(bannedWordsPhase(phaseContext({ body: "viagras are not words" }, site))).toBeUndefined();
  });
});
