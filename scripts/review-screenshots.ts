/**
 * Takes the review page screenshots in docs/images/ (queue with context and a bulk selection, stats tab) from a
 * fresh local server: `npx tsx scripts/review-screenshots.ts`. Starts `npm start` on its own port and data
 * folder, seeds a morning's comments through the public API, decides a few, and photographs the page in Chromium.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../tests/support/chromium.ts";

const port = Number(process.env.SHOTS_PORT ?? 3917);
const base = `http://127.0.0.1:${port}`;
const key = "screenshot-moderator-key";
const out = join(import.meta.dirname, "..", "docs", "images");

async function waitForHealthy(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error("the local server did not become healthy");
}

let reader = 0;
async function post(thread: string, body: string, name: string, email: string, score: string, parentId?: string): Promise<string> {
  const response = await fetch(`${base}/v1/sites/demo/threads/${encodeURIComponent(thread)}/comments`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${++reader}` },
    body: JSON.stringify({ author: { name, email }, body, captchaToken: `test:${score}`, ...(parentId ? { parentId } : {}) }),
  });
  if (!response.ok) throw new Error(`post answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { comment: { id: string } }).comment.id;
}

const decide = (thread: string, id: string, action: string) =>
  fetch(`${base}/v1/mod/sites/demo/threads/${encodeURIComponent(thread)}/comments/${id}/decision`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ action }),
  });

const dataDir = await mkdtemp(join(tmpdir(), "review-shots-"));
const server = spawn("node", ["--import", "tsx", "packages/local/src/main.ts"], {
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, MODERATOR_KEY: key, TRUSTED_PROXY_HOPS: "1" },
  stdio: "inherit",
});
try {
  await waitForHealthy();
  const root = await post("politics/budget", "The budget finally adds up, and the schools get their share.", "Farid Ahmadi", "farid@example.com", "0.9");
  await post("politics/budget", "Agreed, about time.", "Mina K.", "mina@example.com", "0.9");
  await post("politics/budget", "It only adds up at the **casino**.", "Mina K.", "mina@example.com", "0.5", root);
  for (let n = 1; n <= 4; n++) await post("world/kabul", `Reporting from the street, part ${n}: the market is open again.`, `Reader ${n}`, `r${n}@example.com`, "0.5");
  const early = await post("world/kabul", "Links: https://a.example https://b.example https://c.example", "Link Poster", "links@example.com", "0.9");
  await decide("world/kabul", early, "reject");

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: "light" });
  page.setDefaultTimeout(120_000);
  await page.goto(`${base}/moderate`);
  await page.getByLabel("Moderator key").fill(key);
  await page.keyboard.press("Enter");
  await page.locator(".item").nth(4).waitFor();
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  await page.keyboard.press("j");
  await page.keyboard.press("Shift+X");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, "review-queue.png"), fullPage: false });
  await page.getByRole("tab", { name: "Stats" }).click();
  await page.locator("#cw-panel-stats figure").nth(3).waitFor();
  await page.screenshot({ path: join(out, "review-stats.png"), fullPage: true });
  await browser.close();
  console.log(`Screenshots written to ${out}`);
} finally {
  server.kill("SIGTERM");
  await new Promise((done) => server.once("exit", done));
  await rm(dataDir, { recursive: true, force: true });
}
