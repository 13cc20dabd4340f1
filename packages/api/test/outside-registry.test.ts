import { describe, expect, it } from "vitest";
import { parseSitesConfig, type SiteConfigInput } from "@comments/core";
import { outsidePhasesFor } from "../src/pipeline/outside/registry.ts";

const sites = (...configs: SiteConfigInput[]) => parseSitesConfig({ sites: configs }, { env: {} });

describe("outside phase registry", () => {
  const services = { env: {}, logger: { error: () => undefined } };

  it("gives each site the outside phases its configuration turns on, in the registry's order", () => {
    const [plain, hooked, both] = sites(
      { id: "plain", origins: [] },
      { id: "hooked", origins: [], moderation: { externalHook: { url: "https://hook.example/moderate" } } },
      { id: "both", origins: [], moderation: { externalHook: { url: "https://hook.example/moderate" }, toxicity: { provider: "comprehend" } } },
    );
    const forSite = outsidePhasesFor([plain!, hooked!, both!], services);
    expect(forSite(plain!)).toEqual([]);
    expect(forSite(hooked!)).toHaveLength(1);
    expect(forSite(both!)).toHaveLength(2);
    // Built once and shared: the hook phase of two sites is the same function.
    expect(forSite(both!)[0]).toBe(forSite(hooked!)[0]);
  });

  it("builds nothing when no site asks for an outside check", () => {
    const [only] = sites({ id: "only", origins: [] });
    expect(outsidePhasesFor([only!], services)(only!)).toEqual([]);
  });
});
