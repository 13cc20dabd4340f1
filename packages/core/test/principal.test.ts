import { describe, expect, it } from "vitest";
import { canModerate, devPrincipal, principalForKey, roleOn } from "../src/principal.ts";

describe("principals", () => {
  it("gives a moderator key the moderator role on the sites it was made for, and nothing elsewhere", () => {
    const alice = principalForKey("alice", ["demo", "news"]);
    expect(alice).toEqual({ who: "alice", via: "key", roles: { demo: "moderator", news: "moderator" } });
    expect(roleOn(alice, "news")).toBe("moderator");
    expect(roleOn(alice, "other")).toBeNull();
    expect(canModerate(alice, "other")).toBe(false);
  });

  it("lets the local dev key act on every site under the name dev", () => {
    const dev = devPrincipal();
    expect(dev.who).toBe("dev");
    expect(dev.via).toBe("dev");
    expect(canModerate(dev, "any-site")).toBe(true);
  });
});
