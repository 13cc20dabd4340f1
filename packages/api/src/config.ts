import { readFileSync } from "node:fs";
import { parseSitesConfig, SiteConfigError, type SiteConfig, type SiteConfigInput } from "@comments/core";

/**
 * The one site-configuration loader, for the composition root (Lambda, notifier, local server, CLIs) and deploy-time checks.
 * Order: `SITES_JSON` (inline JSON: tests, the local server), `SITES_FILE` (a path; on Lambda the `sites.json`
 * shipped with the function's code, so the file may outgrow Lambda's 4 KB environment), else `fallback`.
 * Throws {@link SiteConfigError} naming the bad field.
 */
export function loadSites(
  env: Record<string, string | undefined>,
  fallback: () => SiteConfigInput[],
  options: { checkSecrets?: boolean } = {},
): SiteConfig[] {
  let raw: unknown;
  if (env.SITES_JSON) {
    raw = parseJson(env.SITES_JSON, "SITES_JSON");
  } else if (env.SITES_FILE) {
    let text: string;
    try {
      text = readFileSync(env.SITES_FILE, "utf8");
    } catch (error) {
      throw new SiteConfigError(`SITES_FILE: cannot read ${env.SITES_FILE} (${(error as Error).message})`);
    }
    raw = parseJson(text, `SITES_FILE ${env.SITES_FILE}`);
  } else {
    raw = { sites: fallback() };
  }
  return parseSitesConfig(raw, { stage: env.STAGE, env, ...options });
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SiteConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
}
