import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectCopy, requirePlatform, runScript } from "./support/deploy-plan.ts";

/**
 * `npm run check:infra` end to end on broken copies of the deploy input: each copy of sst.config.ts, infra/
 * and functions/ gets one mistake, is planned by SST's components under Pulumi's mock runtime
 * (`scripts/plan-infra.ts --root`), and the plan check (`scripts/check-plan.ts --root`) must exit 1 naming it.
 */

/** Replaces `from` (which must be there) with `to` in a file of the copy. */
function edit(dir: string, file: string, from: string, to: string) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update this test`);
  writeFileSync(path, text.replace(from, to));
}

/** Plans the copy and runs the plan check on it. */
async function checkCopy(dir: string) {
  const planned = await runScript("scripts/plan-infra.ts", ["--root", dir, "--md", ""]);
  if (planned.code !== 0) return { code: planned.code, output: `plan failed:\n${planned.stdout}\n${planned.stderr}` };
  const checked = await runScript("scripts/check-plan.ts", ["--root", dir]);
  return { code: checked.code, output: `${checked.stdout}${checked.stderr}` };
}

const mutations = {
  "a permission wider than the code needs": (dir: string) => edit(dir, "infra/table-access.ts", `"dynamodb:BatchGetItem",`, `"dynamodb:BatchGetItem",\n  "dynamodb:DeleteTable",`),
  "an environment variable the code reads, removed": (dir: string) => edit(dir, "infra/api.ts", "    STAGE: $app.stage,\n", ""),
  "a table drifted from table.ts": (dir: string) => edit(dir, "infra/table.ts", "  ...dynamoArgs(),\n", "  ...dynamoArgs(),\n  ttl: undefined,\n"),
};

const results = new Map<string, Promise<{ code: number; output: string }>>();

beforeAll(async () => {
  requirePlatform();
  // The three copies plan side by side (each a separate Pulumi runtime).
  for (const [name, mutate] of Object.entries(mutations)) {
    const dir = projectCopy();
    mutate(dir);
    results.set(
      name,
      checkCopy(dir).finally(() => rmSync(dir, { recursive: true, force: true })),
    );
  }
  await Promise.all(results.values());
  // Generous: four plans on a busy two-core machine took 13 minutes once.
}, 1_800_000);

describe("the plan check on a broken copy of the deploy input", () => {
  it("fails on a permission wider than the code needs", async () => {
    const { code, output } = await results.get("a permission wider than the code needs")!;
    expect(output).toContain("the role grants dynamodb:DeleteTable which the code never sends");
    expect(code).toBe(1);
  });

  it("fails on an environment variable the code reads but the function does not get", async () => {
    const { code, output } = await results.get("an environment variable the code reads, removed")!;
    expect(output).toContain("the code reads STAGE but the function's environment does not set it");
    expect(code).toBe(1);
  });

  it("fails on a table that drifted from table.ts", async () => {
    const { code, output } = await results.get("a table drifted from table.ts")!;
    expect(output).toContain("table TTL off differs from table.ts ttl");
    expect(code).toBe(1);
  });
});
