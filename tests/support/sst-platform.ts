import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");

/** True once SST's platform (its components and the pinned AWS provider) is in `.sst/platform`. */
export const sstPlatformInstalled = () => existsSync(join(root, ".sst/platform/src/components"));

/**
 * Fetches SST's platform from the npm registry (`npx sst install`, as `npm run check:infra` does) when it is not
 * there yet, so the deploy-plan tests run on a fresh clone with plain `npm test`. Offline apart from the registry;
 * no AWS account. Takes a minute or two, once.
 */
export async function ensureSstPlatform(log: (line: string) => void): Promise<void> {
  if (sstPlatformInstalled()) return;
  log("Installing SST's platform into .sst/platform once (npx sst install) for the deploy-plan tests…");
  await new Promise<void>((resolve, reject) => {
    execFile(
      "npx",
      ["sst", "install"],
      {
        cwd: root,
        env: { ...process.env, SST_SKIP_DEPENDENCY_CHECK: "1", SST_NO_BUN: "1", SST_TELEMETRY_DISABLED: "1", SST_STAGE: "check" },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, _stdout, stderr) => (error ? reject(new Error(`npx sst install failed: ${stderr.slice(-2000) || error.message}`)) : resolve()),
    );
  });
}
