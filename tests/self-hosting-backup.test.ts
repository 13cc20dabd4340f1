import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "@comments/core";
import { startLocalServer } from "@comments/local";

const root = new URL("../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "comments-backup-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a shell line as docs/self-hosting.md writes it, from the project folder. */
function sh(line: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", line], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

/** The export without the moment it was made. */
const exported = (file: string) => {
  const text = readFileSync(file, "utf8");
  const document = JSON.parse(text.slice(text.indexOf("{"))) as { exportedAt: string; threads: { threadId: string; comments: { id: string }[] }[] };
  return { ...document, exportedAt: undefined };
};

describe("backups of a self-hosted installation (docs/self-hosting.md)", () => {
  it("restores a thread of 20,000 comments from `npm run export` with `npm run import -- json` exactly", async () => {
    // The thread: 20,000 comments, every tenth a reply, some waiting for a moderator.
    const start = Date.parse("2025-01-01T00:00:00Z");
    const comments = Array.from({ length: 20_000 }, (_, i) => ({
      id: newId(start + i * 1000),
      parentId: null as string | null,
      status: i % 97 === 0 ? "pending" : "published",
      author: { name: `Reader ${i % 300}`, email: i % 3 === 0 ? `reader${i % 300}@example.com` : null, url: null },
      body: `Comment number ${i}: *what* the article missed.`,
      createdAt: new Date(start + i * 1000).toISOString(),
    }));
    for (let i = 10; i < comments.length; i += 10) comments[i]!.parentId = comments[i - 7]!.status === "published" ? comments[i - 7]!.id : null;
    const source = join(work, "source.json");
    writeFileSync(source, JSON.stringify({ format: "comments-export", version: 1, siteId: "demo", exportedAt: new Date().toISOString(), threads: [{ threadId: "big-story", comments }] }));

    const live = join(work, "live");
    const restored = join(work, "restored");
    const imported = await sh(`npm run import -- json --site demo ${source}`, { DATA_DIR: live });
    expect(imported.stderr).not.toMatch(/Error/);
    expect(imported.code).toBe(0);

    // The nightly backup, then a restore into an empty data folder, then its own backup.
    expect((await sh(`npm run export -- --site demo > ${join(work, "backup.json")}`, { DATA_DIR: live })).code).toBe(0);
    expect((await sh(`npm run import -- json --site demo ${join(work, "backup.json")}`, { DATA_DIR: restored })).code).toBe(0);
    expect((await sh(`npm run export -- --site demo > ${join(work, "again.json")}`, { DATA_DIR: restored })).code).toBe(0);

    const backup = exported(join(work, "backup.json"));
    expect(backup.threads).toHaveLength(1);
    expect(backup.threads[0]!.comments.map((comment) => comment.id)).toEqual(comments.map((comment) => comment.id));
    expect(exported(join(work, "again.json"))).toEqual(backup);

    // The restored installation serves the thread as the original did.
    const server = await startLocalServer({ port: 0, dataDir: restored, env: {} });
    try {
      const page = await (await fetch(`http://127.0.0.1:${server.port}/v1/sites/demo/threads/big-story/comments?limit=100`)).json();
      expect(page.thread.commentCount).toBe(comments.filter((comment) => comment.status === "published").length);
    } finally {
      await server.stop();
    }
  }, 1_800_000);
});
