#!/usr/bin/env bash
# Offline infrastructure check (no AWS account, no Pulumi binary, no bun): SST writes its platform and the
# pinned AWS provider into .sst/platform (packages from the npm registry), then the platform's own tsc
# type-checks sst.config.ts and infra/ against SST's real component types, then the infra tests run.
set -euo pipefail
cd "$(dirname "$0")/.."

export SST_SKIP_DEPENDENCY_CHECK=1 SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 SST_STAGE=check

npx sst install
.sst/platform/node_modules/.bin/tsc -p tsconfig.infra.json
echo "infra: sst.config.ts and infra/ type-check against SST $(npx sst version | awk '{print $2}') platform types"
npx vitest run tests/infra.test.ts tests/lambda-bundle.test.ts
