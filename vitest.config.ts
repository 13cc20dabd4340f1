import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // Hang guards, not speed limits: a busy 2-core machine may take a minute to start Java, tsx or Chromium.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: files run in parallel, each against its own table in one shared DynamoDB Local.
    maxWorkers: 2,
    // Vitest's summary, then one plain `tests: N passed, N failed` line as the very last: CI systems that do not
    // know vitest's summary read that form.
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
