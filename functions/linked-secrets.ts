/// <reference path="../sst-env.d.ts" />
import { Resource } from "sst";
import { secretEnvName } from "../infra/secret-names.ts";

/**
 * The SST secrets linked to this function, under the environment-style names the sites file and the app use
 * (RecaptchaSecret → RECAPTCHA_SECRET). Both functions read their secrets this way, never from their environment.
 */
export function linkedSecrets(): Record<string, string | undefined> {
  const linked = Object.entries(Resource as unknown as Record<string, { type?: string; value?: string }>);
  return Object.fromEntries(linked.filter(([, item]) => item?.type === "sst.sst.Secret").map(([name, item]) => [secretEnvName(name), item.value]));
}
