import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { SiteConfigError, type SiteConfig } from "@comments/core";
import { loadSites } from "@comments/api/config";
import { sstSecretName } from "./secret-names.ts";

/**
 * Where the sites file travels inside each function's code (zip root). Lambda caps a function's whole
 * environment at 4 KB, so the file ships with the code instead and `SITES_FILE` names it.
 */
export const bundledSitesFile = "sites.json";

/** Longest captcha verification the API function waits for (its timeout is 15 s, CloudFront's 20 s). */
export const maxCaptchaTimeoutMs = 8000;

/** Longest total wait for outside services in one post (captcha + external hook + toxicity check), leaving the store its time. */
export const maxOutsideWaitMs = 11_000;

/** A stage's validated sites and what the deploy derives from them. */
export interface StageSites {
  /** Where the configuration came from (for messages). */
  source: string;
  /** The validated file, relative to the project root: copied into each function as {@link bundledSitesFile}. */
  file: string;
  /** The configuration as compact JSON. */
  json: string;
  sites: SiteConfig[];
  /** Environment-style names of the captcha secrets the sites use (each becomes an SST secret). */
  captchaSecrets: string[];
}

/**
 * Reads the sites of a stage — `SITES_FILE` when set, else `sites/<stage>.json` — and validates them with the
 * same loader the API runs at cold start (`loadSites` with `STAGE`), so a bad file fails the deploy instead of
 * the first request. Captcha secrets count as set here: each one named becomes an SST secret, and SST refuses
 * to deploy while a secret has no value.
 * @example const { json, captchaSecrets } = stageSites("production", { root: process.cwd() });
 */
export function stageSites(stage: string, options: { root: string; env?: Record<string, string | undefined> }): StageSites {
  const env = options.env ?? process.env;
  const path = env.SITES_FILE ? resolve(options.root, env.SITES_FILE) : join(options.root, "sites", `${stage}.json`);
  const source = env.SITES_FILE ? `SITES_FILE ${env.SITES_FILE}` : `sites/${stage}.json`;
  if (!existsSync(path)) {
    throw new SiteConfigError(`No sites configuration for stage "${stage}": create sites/${stage}.json (see sites/production.example.json) or set SITES_FILE.`);
  }
  const text = readFileSync(path, "utf8");
  let json: string;
  try {
    json = JSON.stringify(JSON.parse(text));
  } catch (error) {
    throw new SiteConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }

  const named = secretEnvNames(JSON.parse(json) as unknown);
  for (const name of named) {
    try {
      sstSecretName(name);
    } catch (error) {
      throw new SiteConfigError(`${source}: captcha.secretEnv ${(error as Error).message}`);
    }
  }
  const assumedSet = Object.fromEntries(named.map((name) => [name, "set with sst secret set"]));
  let sites: SiteConfig[];
  try {
    sites = loadSites({ SITES_JSON: json, STAGE: stage, ...assumedSet }, () => []);
  } catch (error) {
    if (error instanceof SiteConfigError) throw new SiteConfigError(`${source}: ${error.message}`);
    throw error;
  }
  const slow = sites.findIndex((site) => site.captcha.timeoutMs > maxCaptchaTimeoutMs);
  if (slow >= 0) {
    throw new SiteConfigError(`${source}: sites[${slow}].captcha.timeoutMs must be at most ${maxCaptchaTimeoutMs} on AWS (the API function must answer within its own timeout)`);
  }
  const outsideWait = (site: SiteConfig) =>
    site.captcha.timeoutMs + (site.moderation.externalHook?.timeoutMs ?? 0) + (site.moderation.toxicity?.timeoutMs ?? 0);
  const waiting = sites.findIndex((site) => outsideWait(site) > maxOutsideWaitMs);
  if (waiting >= 0) {
    throw new SiteConfigError(
      `${source}: sites[${waiting}] may wait ${outsideWait(sites[waiting]!)} ms for captcha, external hook and toxicity check together; at most ${maxOutsideWaitMs} on AWS (lower their timeoutMs)`,
    );
  }
  const captchaSecrets = [...new Set(sites.flatMap((site) => (site.captcha.secretEnv ? [site.captcha.secretEnv] : [])))].sort();
  return { source, file: relative(options.root, path), json, sites, captchaSecrets };
}

/** The `secretEnv` values written in a sites file, read loosely (the schema checks the rest). */
function secretEnvNames(raw: unknown): string[] {
  const sites = (raw as { sites?: unknown })?.sites;
  if (!Array.isArray(sites)) return [];
  return sites.flatMap((site) => {
    const name = (site as { captcha?: { secretEnv?: unknown } })?.captcha?.secretEnv;
    return typeof name === "string" && name.length > 0 ? [name] : [];
  });
}
