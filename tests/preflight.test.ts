import { describe, expect, it } from "vitest";
import { chromiumMissingMessage, findChromium } from "./support/chromium.ts";
import { javaMissingMessage } from "./support/preflight.ts";

describe("finding what the suite needs on a contributor's machine", () => {
  it("uses CHROMIUM_PATH when it points at a browser", () => {
    const path = findChromium();
    expect(path).not.toBeNull();
    expect(findChromium({ CHROMIUM_PATH: path! })).toBe(path);
  });

  it("reports a CHROMIUM_PATH that points nowhere instead of guessing another browser", () => {
    expect(findChromium({ CHROMIUM_PATH: "/nowhere/chromium" })).toBeNull();
    expect(chromiumMissingMessage({ CHROMIUM_PATH: "/nowhere/chromium" })).toBe(
      "CHROMIUM_PATH is set to /nowhere/chromium, but no browser is there.",
    );
  });

  it("names the install command in one line when no browser is found", () => {
    const message = chromiumMissingMessage({});
    expect(message).not.toContain("\n");
    expect(message).toMatch(/apt-get install chromium|brew install/);
  });

  it("finds Java on this machine (DynamoDB Local needs it)", () => {
    expect(javaMissingMessage()).toBeNull();
  });
});
