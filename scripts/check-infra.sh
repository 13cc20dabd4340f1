#!/usr/bin/env bash
# Offline infrastructure check (no AWS account, no Pulumi binary, no bun):
# 1. SST writes its platform and the pinned AWS provider into .sst/platform (packages from the npm registry);
# 2. the platform's own tsc type-checks sst.config.ts and infra/ against SST's real component types;
# 3. the real sst.config.ts runs with SST's components under Pulumi's mock runtime: every resource a deploy
#    would create is written to infra/plan.md (readable) and .sst/plan.json (scripts/plan-infra.ts);
# 4. the plan is checked: table vs table.ts, handlers, environments vs what the code reads, secrets, IAM,
#    routes and caching, the stream consumers, mail (scripts/check-plan.ts) — a problem fails this script;
# 5. the infra tests run. The broken copies of the deploy input that step 4 must reject
#    (tests/infra-plan-mutations.test.ts: several minutes) run with `npm test`, as in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

export SST_SKIP_DEPENDENCY_CHECK=1 SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 SST_STAGE=check

npx sst install
.sst/platform/node_modules/.bin/tsc -p tsconfig.infra.json
echo "infra: sst.config.ts and infra/ type-check against SST $(npx sst version | awk '{print $2}') platform types"
npx tsx scripts/plan-infra.ts
npx tsx scripts/check-plan.ts
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --quiet -- infra/plan.md; then
  echo "infra: infra/plan.md changed with this code; review and commit it"
fi
npx vitest run tests/infra.test.ts tests/lambda-bundle.test.ts tests/infra-plan.test.ts tests/infra-plan-mail.test.ts
