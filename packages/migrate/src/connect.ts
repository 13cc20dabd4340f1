import type { SiteConfig } from "@comments/core";
import type { Hasher } from "@comments/api";
import { CliError, cliSites, openCliRuntime } from "@comments/local/cli";
import type { Store } from "@comments/store";

export { CliError, cliSites };

/** An open store for a command-line run, with what the commands take from the runtime. */
export interface Connection {
  store: Store;
  hasher: Hasher;
  sites: SiteConfig[];
  endpoint: string;
  tableName: string;
  /** True when this run started the embedded store on DATA_DIR. */
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the store through the command-line tools' composition root (`openCliRuntime`): `DYNAMODB_ENDPOINT` when
 * set, else a running `npm start`'s store on the same `DATA_DIR` (shared), else the embedded store on `DATA_DIR`
 * for this run. Table from `TABLE_NAME` (default "comments"); sites from `SITES_JSON` / `SITES_FILE` (default: the
 * demo site); the IP-hash key through the one loader (`IP_HASH_KEY`, else the local server's key file).
 */
export async function connect(env: Record<string, string | undefined>, options: { createTable: boolean }): Promise<Connection> {
  const opened = await openCliRuntime(env, { table: options.createTable ? "create" : "existing", hashing: true });
  const { runtime } = opened;
  return {
    store: opened.store,
    hasher: runtime.hasher!,
    sites: runtime.sites,
    endpoint: opened.endpoint,
    tableName: opened.tableName,
    embedded: opened.reach === "embedded",
    close: opened.close,
  };
}
