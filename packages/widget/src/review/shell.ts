import type { ModerationApi } from "./api.ts";
import type { ReviewConfig } from "./config.ts";

/** A site the moderator's key covers. */
export interface SiteRef {
  id: string;
  name: string;
}

/** What the views share: the API, the config, the sites and the status line. */
export interface Shell {
  api: ModerationApi;
  config: ReviewConfig;
  sites: SiteRef[];
  /** The sites the site filter currently shows. */
  visibleSites(): SiteRef[];
  /** Puts a message in the live status line (read out by screen readers). */
  announce(text: string, kind?: "info" | "error"): void;
  /** The key stopped working: back to the sign-in form with this message. */
  signOut(message: string): void;
}

/** The site's display name for a site id. */
export const siteName = (shell: Shell, id: string) => shell.sites.find((site) => site.id === id)?.name ?? id;
