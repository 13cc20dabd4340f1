import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { expectedCounts, writeWxr } from "./fixtures/import/generate.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "comments-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The heap the reading runs in: smaller than the 100k-comment file, so memory that grew with the file would run out. */
const heapMiB = 64;

/**
 * In a process of its own (so its memory is what is measured): the check an import makes before it writes, then
 * `npm run import -- wordpress --dry-run` (every comment converted and counted, nothing written). Prints the
 * command's output, then the process's peak resident set size (`process.resourceUsage().maxRSS`).
 */
const script = `
import { checkSource, readSource, runCli } from "@comments/migrate";
const file = process.argv.at(-1);
const check = await checkSource(readSource("wordpress", file));
let out = "";
const code = await runCli(["import", "wordpress", "--site", "demo", "--dry-run", file], {
  env: {},
  stdout: { write: (text) => ((out += text), true), on() {}, once() {} },
  stderr: { write: () => true },
});
console.log(JSON.stringify({ code, checked: check.comments, out, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
`;

function measure(file: string): Promise<{ code: number; checked: number; out: string; maxRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, "--import", "tsx", "--input-type=module", "-e", script, file], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !last.startsWith("{")) reject(new Error(`exit ${code}: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(last) as { code: number; checked: number; out: string; maxRssBytes: number });
    });
  });
}

describe("memory while reading a large export", () => {
  it("stays flat: 100,000 comments are checked and read in a 64 MiB heap, with a peak RSS close to that of 10,000", { timeout: 900_000 }, async () => {
    const smallShape = { posts: 1_000, commentsPerPost: 10 };
    const largeShape = { posts: 10_000, commentsPerPost: 10 };
    const smallFile = join(dir, "ten-thousand.xml");
    const largeFile = join(dir, "hundred-thousand.xml");
    const smallSize = writeWxr(smallFile, smallShape);
    const largeSize = writeWxr(largeFile, largeShape);

    const small = await measure(smallFile);
    const large = await measure(largeFile);
    for (const [run, shape] of [[small, smallShape], [large, largeShape]] as const) {
      const expected = expectedCounts(shape);
      expect(run.code).toBe(0);
      expect(run.checked).toBe(shape.posts * shape.commentsPerPost);
      expect(run.out).toContain(`comments to import: ${shape.posts * shape.commentsPerPost} (published ${expected.published}, pending ${expected.pending}, spam ${expected.spam})`);
    }
    // Ten times the comments (about 85 MB more file) may not cost more than a quarter of that in peak memory.
    expect(largeSize - smallSize).toBeGreaterThan(80 * 1024 * 1024);
    expect(large.maxRssBytes - small.maxRssBytes).toBeLessThan((largeSize - smallSize) / 4);
  });
});
