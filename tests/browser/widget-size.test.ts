import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { widgetRoutes } from "@comments/widget/server/widget-routes";

const run = promisify(execFile);
const buildScript = fileURLToPath(new URL("../../packages/widget/scripts/build.ts", import.meta.url));
const budget = 15 * 1024;

function build(args: string[]) {
  return run(process.execPath, ["--import", "tsx", buildScript, ...args], { cwd: fileURLToPath(new URL("../..", import.meta.url)) });
}

/** Sizes as the build prints them: `embed.js  21831 B raw  9411 B gzip`. */
function printedSizes(stdout: string) {
  const sizes: Record<string, { raw: number; gzip: number }> = {};
  for (const match of stdout.matchAll(/^\s+(\S+)\s+(\d+) B raw\s+(\d+) B gzip/gm)) sizes[match[1]!] = { raw: Number(match[2]), gzip: Number(match[3]) };
  return sizes;
}

describe("widget size budget", () => {
  it("builds embed.js, count.js and the review page, prints raw and gzipped sizes, and keeps the reader's download within 15 KB gzipped", async () => {
    const out = mkdtempSync(join(tmpdir(), "widget-build-"));
    try {
      const { stdout } = await build(["--out", out]);
      const sizes = printedSizes(stdout);
      expect(Object.keys(sizes)).toEqual(["embed.js", "count.js", "moderate.html", "moderate.js", "total"]);
      expect(existsSync(join(out, "moderate.html")) && existsSync(join(out, "moderate.js"))).toBe(true);
      expect(sizes.total!.gzip).toBe(sizes["embed.js"]!.gzip + sizes["count.js"]!.gzip);
      expect(sizes.total!.gzip).toBeLessThanOrEqual(budget);
      expect(sizes["embed.js"]!.raw).toBeGreaterThan(sizes["embed.js"]!.gzip);
      expect(existsSync(join(out, "embed.js")) && existsSync(join(out, "count.js"))).toBe(true);

      // What the server sends is what the build measured.
      const app = await widgetRoutes();
      for (const name of ["embed.js", "count.js"]) {
        const served = await app.request(`/${name}`, { headers: { "accept-encoding": "gzip" } });
        expect(served.headers.get("content-encoding")).toBe("gzip");
        expect((await served.arrayBuffer()).byteLength).toBe(sizes[name]!.gzip);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("fails the build when the widget is over budget", async () => {
    const out = mkdtempSync(join(tmpdir(), "widget-build-"));
    try {
      const failure = await build(["--out", out, "--budget", "1024"]).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(/Over budget: the widget downloads \d+ gzipped bytes, the budget is 1024\./);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("serves embed.js for five minutes by default and for a year, immutable, under its content hash", async () => {
    const app = await widgetRoutes();
    const plain = await app.request("/embed.js");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=300");
    const etag = plain.headers.get("etag")!;
    const hash = etag.replaceAll('"', "");

    const page = await (await app.request("/")).text();
    expect(page).toContain(`/embed.js?v=${hash}`);
    const hashed = await app.request(`/embed.js?v=${hash}`);
    expect(hashed.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await hashed.text()).toBe(await plain.text());

    const stale = await app.request("/embed.js?v=0123456789ab");
    expect(stale.headers.get("cache-control")).toBe("public, max-age=300");
    expect((await app.request("/embed.js", { headers: { "if-none-match": etag } })).status).toBe(304);
  });
});
