import type { PhaseContext } from "../../src/pipeline/index.ts";
import { renderBody } from "../../src/render.ts";
import { parseSitesConfig, type SiteConfigInput } from "../../src/sites.ts";

/** A phase context for a new comment on a site with the given overrides. */
export function phaseContext(overrides: Partial<PhaseContext> = {}, site: Partial<SiteConfigInput> = {}): PhaseContext {
  const [config] = parseSitesConfig({ sites: [{ id: "s", origins: ["https://a.example"], ...site }] }, { env: {} });
  const body = overrides.body ?? "A fine comment";
  return { kind: "create", site: config!, body, bodyHtml: renderBody(body), website: undefined, captcha: { kind: "passed", score: 0.9 }, authorHasPublished: true, ...overrides };
}
