import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../bench/config.ts";
import { runBench, writeResults, type BenchResults } from "../bench/bench.ts";
import { figures, renderTables } from "../bench/table.ts";
import { dynamoEndpoint } from "./support/harness.ts";

/**
 * `npm run bench` in a tiny mode (one short round of everything, small threads), against the test run's
 * DynamoDB Local. It checks what the bench reports, never how fast anything was.
 */
describe("npm run bench in tiny mode", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a results file with every figure as a number, and stores exactly the comments it answered 201/202", async () => {
    const out = join(dir, "results.json");
    const results = await runBench({
      ...defaultConfig,
      seconds: 1,
      rounds: 1,
      warmupSeconds: 0.5,
      stackWarmupSeconds: 1,
      connections: 4,
      threadSize: 60,
      scaleSizes: [60, 120],
      otherThreads: 10,
      coldStarts: 2,
      starts: 1,
      pageLoads: 1,
      out,
      dynamoEndpoint: dynamoEndpoint(),
    });
    writeResults(results, out);
    const written = JSON.parse(readFileSync(out, "utf8")) as BenchResults;

    expect(written.coldStart.status).toBe("measured");
    expect(written.widget.status).toBe("measured");
    const all = figures(written);
    for (const name of ["http.read.p99Ms", "http.notModified.requestsPerSecond", "http.post.p50Ms", "inProcess.read.cpuMsPerRequest",
      "capacity.threadPage.readUnits", "capacity.decision.writeUnits", "coldStart.importMs", "coldStart.bundleBytes",
      "widget.total.gzipBytes", "widget.threadRenderedMs", "hotThread.withCache.requestsPerSecond", "hotThread.withoutCache.requestsPerSecond", "scale.120.post.requestsPerSecond",
      "ceiling.read.storeRequestsPerSecond", "ceiling.read.percentOfCeiling", "ceiling.post.percentOfCeiling",
      "cost.pageView.uncachedPerMillion", "cost.pageView.cacheHitPerMillion", "cost.comment.uncachedPerMillion", "start.first.medianMs", "start.fresh.medianMs", "start.existing.medianMs"]) {
      expect(all, name).toHaveProperty([name]);
    }
    for (const [name, value] of Object.entries(all)) expect(Number.isFinite(value), `${name} = ${value}`).toBe(true);

    for (const post of [written.http.post, written.http.postAlone, ...written.scale.rows.map((row) => row.post)]) {
      expect(post.accepted).toBeGreaterThan(0);
      expect(post.stored).toBe(post.accepted);
      expect(post.commentCountGrowth).toBe(post.statusCounts["201"] ?? 0);
      expect(post.storedMatchesAccepted).toBe(true);
    }
    expect(written.http.read.statusCounts).toEqual({ "200": expect.any(Number) });
    expect(written.http.notModified.statusCounts).toEqual({ "304": expect.any(Number) });
    // A page costs the same read units however long the thread is.
    expect(new Set(written.scale.rows.map((row) => row.pageReadUnits)).size).toBe(1);
    // A 304 reads one small item instead of a page.
    expect(written.capacity.notModified.calls).toBe(1);
    // A permalink is one read; the site feed is one Query.
    expect(written.capacity.permalink.calls).toBe(1);
    expect(written.capacity.siteFeed.calls).toBe(1);
    expect(written.capacity.threadFeed.calls).toBe(1);
    expect(written.capacity.notModified.readUnits).toBeLessThan(written.capacity.threadPage.readUnits);

    // The store's ceiling is measured, not assumed: a real rate for each request shape.
    expect(written.ceiling.read.storeRequestsPerSecond).toBeGreaterThan(0);
    expect(written.ceiling.post.storeRequestsPerSecond).toBeGreaterThan(0);

    const tables = renderTables(written);
    expect(tables).toContain("| Read a thread page over HTTP |");
    expect(tables).toContain("HTTP share of ceiling");
    expect(tables).toContain("first 200 from `/healthz`");
    // A page view served from CloudFront's cache costs less than one that reaches the function.
    expect(all["cost.pageView.cacheHitPerMillion"]).toBeLessThan(all["cost.pageView.uncachedPerMillion"]!);
    expect(tables).not.toContain("NaN");
    expect(tables).not.toContain("MISMATCH");
  }, 300_000);
});
