import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { widgetRoutes } from "@comments/widget/server";
import { languages } from "@comments/widget/i18n";

const run = promisify(execFile);
const buildScript = fileURLToPath(new URL("../../packages/widget/scripts/build.ts", import.meta.url));

function build(args: string[]) {
  return run(process.execPath, ["--import", "tsx", buildScript, ...args], { cwd: fileURLToPath(new URL("../..", import.meta.url)) });
}

/** Sizes as the build prints them: `embed.js  1518 B raw  852 B gzip  of 2048 B budget`. */
function printedSizes(stdout: string) {
  const sizes: Record<string, { raw: number; gzip: number; budget: number | null }> = {};
  for (const match of stdout.matchAll(/^\s+(\S+)\s+(\d+) B raw\s+(\d+) B gzip\s+(?:of (\d+) B budget)?/gm)) {
    sizes[match[1]!] = { raw: Number(match[2]), gzip: Number(match[3]), budget: match[4] ? Number(match[4]) : null };
  }
  return sizes;
}

describe("widget size budgets", () => {
  it("builds the loader, the widget, one table per language, count.js and the review page, each within its gzipped budget", async () => {
    const out = mkdtempSync(join(tmpdir(), "widget-build-"));
    try {
      const { stdout } = await build(["--out", out]);
      const sizes = printedSizes(stdout);
      const names = Object.keys(sizes);
      const widget = names.find((name) => /^assets\/widget\.[0-9a-f]{12}\.js$/.test(name))!;
      const locales = names.filter((name) => /^assets\/locale-[a-z]+\.[0-9a-f]{12}\.js$/.test(name));
      expect(sizes["embed.js"]!.budget).toBe(2048);
      expect(sizes[widget]!.budget).toBe(15 * 1024);
      expect(sizes["count.js"]!.budget).toBe(2048);
      // Every language but English (inside the widget) has its own table.
      expect(locales.map((name) => name.split(/[-.]/)[1]).sort()).toEqual(languages.filter((lang) => lang !== "en").sort());
      for (const name of [widget, "embed.js", "count.js", ...locales]) {
        expect(sizes[name]!.gzip).toBeLessThanOrEqual(sizes[name]!.budget!);
        expect(existsSync(join(out, name))).toBe(true);
      }
      for (const name of locales) expect(sizes[name]!.budget).toBe(2048);
      expect(existsSync(join(out, "moderate.html")) && existsSync(join(out, "moderate.js"))).toBe(true);

      // What the server sends is what the build measured.
      const app = await widgetRoutes();
      for (const name of ["embed.js", "count.js", widget, locales[0]!]) {
        const served = await app.request(`/${name}`, { headers: { "accept-encoding": "gzip" } });
        expect(served.headers.get("content-encoding")).toBe("gzip");
        expect((await served.arrayBuffer()).byteLength).toBe(sizes[name]!.gzip);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.each([
    ["--loader-budget", "embed.js"],
    ["--widget-budget", "assets/widget."],
    ["--locale-budget", "assets/locale-"],
  ])("fails the build when an asset is over its budget (%s)", async (option, name) => {
    const out = mkdtempSync(join(tmpdir(), "widget-build-"));
    try {
      const failure = await build(["--out", out, option, "100"]).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain(`Over budget: ${name}`);
      expect(failure?.stderr).toMatch(/is \d+ gzipped bytes, the budget is 100\./);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("serves embed.js for five minutes by default and for a year, immutable, under its content hash; the widget it loads always for a year", async () => {
    const app = await widgetRoutes();
    const plain = await app.request("/embed.js");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=300");
    const etag = plain.headers.get("etag")!;
    const hash = etag.replaceAll('"', "");

    const page = await (await app.request("/")).text();
    expect(page).toContain(`/embed.js?v=${hash}`);
    const hashed = await app.request(`/embed.js?v=${hash}`);
    expect(hashed.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const loader = await hashed.text();
    expect(loader).toBe(await plain.text());

    const stale = await app.request("/embed.js?v=0123456789ab");
    expect(stale.headers.get("cache-control")).toBe("public, max-age=300");
    expect((await app.request("/embed.js", { headers: { "if-none-match": etag } })).status).toBe(304);

    const widgetName = /assets\/widget\.[0-9a-f]{12}\.js/.exec(loader)?.[0];
    expect(widgetName).toBeDefined();
    const widget = await app.request(`/${widgetName}`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });
});
