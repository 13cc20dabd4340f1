import type { Phase, SiteConfig } from "@comments/core";
import type { Logger } from "../../logger.ts";
import { comprehendToxicityPhase } from "./comprehend-toxicity.ts";
import { externalHookPhase } from "./external-hook.ts";

/** What outside phases may use; the composition root builds it once from the environment. */
export interface OutsidePhaseServices {
  /** Secrets and settings (`WEBHOOK_SIGNING_KEY`, `AWS_REGION`), never read from `process.env` by the phases. */
  env: Record<string, string | undefined>;
  logger: Logger;
  fetch?: typeof fetch;
}

/** The `moderation` fields of a site that turn an outside phase on. */
type OutsideCheck = "externalHook" | "toxicity";

/**
 * Every outside phase, keyed by the site's `moderation` field that turns it on, in the order they run.
 * A new outside check (another toxicity model, a spam service) is one more entry here and one site field.
 */
export const outsidePhaseRegistry: Record<OutsideCheck, (services: OutsidePhaseServices) => Phase> = {
  externalHook: ({ fetch, env }) => externalHookPhase({ ...(fetch ? { fetch } : {}), signingKey: env.WEBHOOK_SIGNING_KEY }),
  toxicity: ({ logger, env }) => comprehendToxicityPhase({ logger, env }),
};

/** The outside phases of one site, in the order they run. */
export type OutsidePhasesForSite = (site: SiteConfig) => readonly Phase[];

/**
 * Builds each outside phase some site configures, once, and answers per site with the ones that site turns on.
 * @example const forSite = outsidePhasesFor(sites, { env, logger }); forSite(site) // [externalHookPhase]
 */
export function outsidePhasesFor(sites: readonly SiteConfig[], services: OutsidePhaseServices): OutsidePhasesForSite {
  const checks = Object.keys(outsidePhaseRegistry) as OutsideCheck[];
  const used = checks.filter((check) => sites.some((site) => site.moderation[check]));
  const built = new Map(used.map((check) => [check, outsidePhaseRegistry[check](services)]));
  const bySite = new Map(sites.map((site) => [site.id, used.filter((check) => site.moderation[check]).map((check) => built.get(check)!)]));
  return (site) => bySite.get(site.id) ?? [];
}
