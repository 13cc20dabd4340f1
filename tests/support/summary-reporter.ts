import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one plain closing line after vitest's own summary, `tests: N passed, N failed` (`, N skipped` when some
 * were), the form CI systems read without knowing vitest's summary format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else counts.skipped++;
      }
    }
    // A file that fails to load has no tests, and an error outside any test fails the run too: count both, so the
    // line never reads as a pass when the run failed.
    counts.failed += testModules.filter((module) => module.state() === "failed" && !module.children.size).length;
    counts.failed += unhandledErrors.length;
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
    console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed${skipped}`);
  }
}
