import { stageSites } from "./load-stage-sites.ts";

/** This stage's sites, validated before any resource is touched: a bad file stops the deploy here. */
export const sites = stageSites($app.stage, { root: $cli.paths.root });
