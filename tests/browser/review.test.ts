import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { SiteConfigInput } from "@comments/core";
import { newModeratorKey } from "@comments/api";
import { buildReviewAssets } from "@comments/widget/server";
import type { LocalServer } from "../../packages/local/src/server.ts";
import { eventually, launchChromium, locatorTimeoutMs, startTestServer, useBrowserTestLimits, watchForTrouble } from "../support/browser.ts";

useBrowserTestLimits();

const key = "test-moderator-key";
let browser: Browser;
const servers: LocalServer[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await browser?.close();
  await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
});

/** A site with room for many posts, suspect and banned words, and two flags to queue. */
const newsSite = (id: string, name: string): SiteConfigInput => ({
  id,
  name,
  origins: [],
  captcha: { provider: "test" },
  moderation: { suspectWords: ["casino"], bannedWords: ["viagra"], maxLinks: 2, flagThreshold: 2 },
  rateLimit: { perMinute: 1000, perHour: 1000 },
});

/** The full local server (API + review page) on a fresh table; X-Forwarded-For names the reader (distinct flaggers). */
async function startServer(sites: SiteConfigInput[] = [newsSite("demo", "Demo")], extra: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ sites, env: { TRUSTED_PROXY_HOPS: "1" }, ...extra });
  servers.push(server);
  const base = `http://127.0.0.1:${server.port}`;
  let ip = 0;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${(ip++ % 250) + 1}`, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: response.status === 204 ? null : await response.json() };
  };
  return {
    server,
    base,
    /** Posts as a reader; returns the comment id. */
    async post(site: string, thread: string, body: string, options: { name?: string; email?: string; token?: string } = {}) {
      const res = await call("POST", `/v1/sites/${site}/threads/${encodeURIComponent(thread)}/comments`, {
        author: { name: options.name ?? "Reader", ...(options.email ? { email: options.email } : {}) },
        body,
        captchaToken: options.token ?? "test:0.9",
      });
      expect([201, 202]).toContain(res.status);
      return res.json.comment.id as string;
    },
    flag: (site: string, thread: string, id: string, reason: string) => call("POST", `/v1/sites/${site}/threads/${encodeURIComponent(thread)}/comments/${id}/flags`, { reason }),
    mod: (method: string, path: string, body?: unknown, withKey = key) => call(method, `/v1/mod${path}`, body, { authorization: `Bearer ${withKey}` }),
    thread: async (site: string, thread: string) => (await call("GET", `/v1/sites/${site}/threads/${encodeURIComponent(thread)}/comments?limit=100`)).json as { comments: Array<{ id: string }> },
  };
}
type Rig = Awaited<ReturnType<typeof startServer>>;

async function open(url: string, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(locatorTimeoutMs);
  contexts.push(context);
  const page = await context.newPage();
  const trouble = watchForTrouble(page);
  await page.goto(url);
  return { page, context, trouble };
}

async function signIn(page: Page, withKey = key) {
  await page.getByLabel("Moderator key").fill(withKey);
  await page.keyboard.press("Enter");
  await page.getByRole("tab", { name: "Queue" }).waitFor();
}

const selectedId = (page: Page) => page.locator(".item[aria-current=true]").getAttribute("data-comment-id");
const status = (page: Page) => page.locator("#cw-status");
/** Chromium logs every 4xx fetch as a console error; those are expected answers here. */
const realErrors = (errors: string[]) => errors.filter((e) => !/Failed to load resource: .*status of 4\d\d/.test(e));

describe("review page: clearing the queue with the keyboard", () => {
  it("clears a mixed queue of 20 comments from two sites with keys alone; every decision is audited with who, when and why", async () => {
    const rig = await startServer([newsSite("demo", "Demo"), newsSite("sport", "Sport desk")]);
    const kinds: Array<{ site: string; words: string; make: (rig: Rig, site: string, n: number) => Promise<string> }> = [
      { site: "demo", words: "captcha score 0.52 below 0.7", make: (r, s, n) => r.post(s, "politics/budget", `Low score comment ${n}`, { token: "test:0.52", name: `Low ${n}`, email: `low${n}@example.com` }) },
      { site: "sport", words: "3 links (more than 2)", make: (r, s, n) => r.post(s, "football/final", `Links ${n} https://a.example https://b.example https://c.example`, { name: `Links ${n}` }) },
      { site: "demo", words: "suspect word: casino", make: (r, s, n) => r.post(s, "politics/budget", `Try the casino ${n}`, { name: `Casino ${n}` }) },
      {
        site: "sport",
        words: "flagged 2 times: spam (1), abuse (1)",
        make: async (r, s, n) => {
          const id = await r.post(s, "football/final", `Published then flagged ${n}`, { name: `Flagged ${n}` });
          await r.flag(s, "football/final", id, "spam");
          await r.flag(s, "football/final", id, "abuse");
          return id;
        },
      },
      { site: "demo", words: "captcha score 0.4 below 0.7", make: (r, s, n) => r.post(s, "world/kabul", `<img src=x onerror=alert(1)> <script>alert(2)</script> ${n}`, { token: "test:0.4", name: `<b>Tag ${n}</b>` }) },
    ];
    const seeded: Array<{ id: string; site: string; thread: string; words: string; flagged: boolean }> = [];
    for (let n = 0; n < 20; n++) {
      const kind = kinds[n % kinds.length]!;
      const id = await kind.make(rig, kind.site, n);
      const thread = kind.site === "sport" ? "football/final" : n % 5 === 4 ? "world/kabul" : "politics/budget";
      seeded.push({ id, site: kind.site, thread, words: kind.words, flagged: n % 5 === 3 });
    }
    // One spam comment never reaches the queue.
    await rig.post("demo", "politics/budget", "buy viagra now");

    const { page, trouble } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(20);
    expect(await page.locator("#cw-queue-summary").textContent()).toBe("20 comments wait for a decision.");
    expect(await page.locator("#cw-site option").allTextContents()).toEqual(["All sites (2)", "Demo", "Sport desk"]);
    await page.selectOption("#cw-site", "sport");
    await eventually(() => page.locator(".item .site").allTextContents()).toEqual(Array(8).fill("Sport desk"));
    await page.selectOption("#cw-site", "");
    await eventually(() => page.locator(".item").count()).toBe(20);
    // Merged queue: oldest first across both sites.
    expect(await page.locator(".item").evaluateAll((items) => items.map((i) => i.getAttribute("data-comment-id")))).toEqual(seeded.map((s) => s.id));
    // A fresh load (still signed in for this tab) puts focus on the oldest comment: no mouse from here on.
    await page.reload();
    await eventually(() => page.locator(".item").count()).toBe(20);

    // What a moderator reads for each comment: thread, author, email, score, reasons in plain words.
    const first = page.locator(".item").first();
    expect(await first.locator(".thread").textContent()).toBe("Thread: politics/budget");
    expect(await first.locator(".email").textContent()).toBe("low0@example.com");
    expect(await first.locator(".score").textContent()).toBe("captcha 0.52");
    expect(await first.locator(".reasons li").allTextContents()).toEqual(["captcha score 0.52 below 0.7"]);
    const flagged = page.locator(`[data-comment-id="${seeded[3]!.id}"]`);
    expect(await flagged.locator(".reasons li").allTextContents()).toEqual(["flagged 2 times: spam (1), abuse (1)"]);
    expect(await flagged.locator("button[data-action=approve]").textContent()).toBe("Dismiss flags a");
    expect(await flagged.locator(".site").textContent()).toBe("Sport desk");
    // Markup a reader typed stays text: no element, no script run.
    const tagged = page.locator(`[data-comment-id="${seeded[4]!.id}"]`);
    expect(await tagged.locator(".author").textContent()).toBe("<b>Tag 4</b>");
    expect(await tagged.locator(".body").textContent()).toContain("<img src=x onerror=alert(1)>");
    expect(await tagged.locator(".body img, .body script, .author b").count()).toBe(0);

    // Decide all 20 with the keyboard only: j/k to move, a/r/s to decide, b + Enter to ban, n to add a note.
    expect(await page.evaluate(() => document.activeElement?.classList.contains("item"))).toBe(true);
    const decided = new Map<string, "approve" | "reject" | "spam" | "ban">();
    const plan = ["a", "r", "s", "a", "jk-r", "j-a", "note-r", "b", "a", "s"];
    let step = 0;
    while ((await page.locator(".item").count()) > 0) {
      const move = plan[step++ % plan.length]!;
      if (move === "jk-r") {
        await page.keyboard.press("j");
        await page.keyboard.press("k");
      }
      if (move === "j-a" && (await page.locator(".item").count()) > 1) await page.keyboard.press("j");
      if (move === "note-r") {
        await page.keyboard.press("n");
        await page.keyboard.type("off topic for this story");
        await page.keyboard.press("Enter");
      }
      const id = (await selectedId(page))!;
      if (move === "b") {
        await page.keyboard.press("b");
        await page.keyboard.press("Backspace");
        await page.keyboard.type("3");
        await page.keyboard.press("Enter");
        decided.set(id, "ban");
      } else {
        const key = move.at(-1)!;
        await page.keyboard.press(key);
        decided.set(id, key === "a" ? "approve" : key === "r" ? "reject" : "spam");
      }
      await eventually(() => page.locator(`[data-comment-id="${id}"]`).count()).toBe(0);
    }
    expect(decided.size).toBe(20);
    await eventually(() => page.locator("#cw-queue-summary").textContent()).toBe("The queue is empty. Nothing waits for a decision.");

    // The server agrees: both queues are empty, approved comments are in their threads, the others are not.
    for (const site of ["demo", "sport"]) {
      await eventually(async () => (await rig.mod("GET", `/sites/${site}/queue`)).json.items.length).toBe(0);
    }
    for (const comment of seeded) {
      const visible = (await rig.thread(comment.site, comment.thread)).comments.some((c) => c.id === comment.id);
      expect(visible, `${comment.id} after ${decided.get(comment.id)}`).toBe(decided.get(comment.id) === "approve");
    }

    // Every decision is in the audit log with who, when and why.
    const audit = [
      ...(await rig.mod("GET", "/sites/demo/audit?limit=100")).json.items,
      ...(await rig.mod("GET", "/sites/sport/audit?limit=100")).json.items,
    ] as Array<{ action: string; commentId: string; moderator: string; at: string; note: string | null }>;
    const decisions = audit.filter((entry) => entry.action !== "ban");
    expect(decisions).toHaveLength(20);
    for (const entry of decisions) {
      const seed = seeded.find((s) => s.id === entry.commentId)!;
      const expected = decided.get(entry.commentId);
      expect(entry.action).toBe(expected === "ban" ? "reject" : expected);
      expect(entry.moderator).toBe("dev");
      expect(Date.parse(entry.at)).not.toBeNaN();
      expect(entry.note).toBeTruthy();
      if (expected === "ban") expect(entry.note).toBe(`banned for 3 days: ${seed.words}`);
      else if (entry.note !== "off topic for this story") expect(entry.note).toBe(`reasons: ${seed.words}`);
    }
    expect(decisions.filter((e) => e.note === "off topic for this story")).toHaveLength(2);
    expect(audit.filter((e) => e.action === "ban")).toHaveLength(2);

    // The audit tab shows the same log, reached by keyboard: from the empty queue's summary back to the tabs.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cw-queue-summary");
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cw-tab-queue");
    await page.keyboard.press("ArrowRight");
    await eventually(() => page.locator("#cw-panel-audit tbody tr").count()).toBe(22);
    const row = page.locator("#cw-panel-audit tbody tr").filter({ hasText: "off topic for this story" }).first();
    expect(await row.locator("td").nth(1).textContent()).toBe("dev");

    expect(trouble.dialogs).toEqual([]);
    expect(realErrors(trouble.errors)).toEqual([]);
  });
});

describe("review page: concurrent moderators and failures", () => {
  it("moves on with 'already decided by …' when another moderator decided first", async () => {
    const rig = await startServer();
    const first = await rig.post("demo", "t", "first", { token: "test:0.5", name: "First" });
    const second = await rig.post("demo", "t", "second", { token: "test:0.5", name: "Second" });
    const { key: bobKey, record } = newModeratorKey("bob", ["demo"], new Date());
    await rig.server.store.putModeratorKey(record);

    const { page, trouble } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(2);
    expect(await selectedId(page)).toBe(first);

    expect((await rig.mod("POST", `/sites/demo/threads/t/comments/${first}/decision`, { action: "reject", note: "behind your back" }, bobKey)).status).toBe(200);
    await page.keyboard.press("a");
    await eventually(() => status(page).textContent()).toBe("The comment by First was already decided by bob (now rejected). Moved on.");
    expect(await page.locator(".item").count()).toBe(1);
    expect(await selectedId(page)).toBe(second);

    await page.keyboard.press("a");
    await eventually(() => status(page).textContent()).toBe("Approved: the comment by Second.");
    expect((await rig.thread("demo", "t")).comments.map((c) => c.id)).toEqual([second]);
    expect(trouble.dialogs).toEqual([]);
    expect(realErrors(trouble.errors)).toEqual([]);
  });

  it("puts the comment back and says so when the decision cannot reach the API", async () => {
    const rig = await startServer();
    const id = await rig.post("demo", "t", "stays queued", { token: "test:0.5", name: "Kept" });
    const { page } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(1);

    // The API goes away: the page's request fails for real.
    await rig.server.stop();
    await page.keyboard.press("r");
    await eventually(() => status(page).textContent()).toMatch(/^Could not reject the comment by Kept: Could not reach the API at .*\. It is back in the list\.$/);
    expect(await page.locator(`[data-comment-id="${id}"]`).count()).toBe(1);
    expect(await selectedId(page)).toBe(id);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-comment-id"))).toBe(id);
  });
});

describe("review page: bans, flags and sign-in", () => {
  it("bans an author from the queue, lists the ban and lifts it with the keyboard", async () => {
    const rig = await startServer();
    await rig.post("demo", "t", "casino casino", { name: "Gambler", email: "gambler@example.com" });
    const { page, trouble } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(1);

    await page.keyboard.press("b");
    expect(await page.locator(".ban-title").textContent()).toBe("Ban Gambler (gambler@example.com) and reject this comment.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cw-ban-days");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("casino spam");
    await page.keyboard.press("Enter");
    await eventually(() => status(page).textContent()).toBe("Banned Gambler for 7 days and rejected the comment.");
    const refused = await fetch(`${rig.base}/v1/sites/demo/threads/t/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.77" },
      body: JSON.stringify({ author: { name: "Gambler", email: "gambler@example.com" }, body: "again", captchaToken: "test:0.9" }),
    });
    expect((await refused.json()).error.code).toBe("author_banned");

    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cw-queue-summary");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("ArrowLeft");
    expect(await page.getByRole("tab", { name: "Bans" }).getAttribute("aria-selected")).toBe("true");
    const row = page.locator("#cw-panel-bans tbody tr");
    await eventually(() => row.count()).toBe(1);
    expect(await row.locator("td").allTextContents()).toEqual(["Gambler", "casino spam", "Demo", expect.any(String), expect.any(String), "Lift ban"]);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Refresh");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Lift ban on Gambler");
    await page.keyboard.press("Enter");
    await eventually(() => status(page).textContent()).toBe("Lifted the ban on Gambler.");
    expect(await row.count()).toBe(0);
    expect((await rig.mod("GET", "/sites/demo/bans")).json.items).toEqual([]);
    expect(trouble.dialogs).toEqual([]);
    expect(realErrors(trouble.errors)).toEqual([]);
  });

  it("dismisses reader flags: the comment stays published and leaves the queue", async () => {
    const rig = await startServer();
    const id = await rig.post("demo", "t", "A fair point, loudly made", { name: "Loud" });
    await rig.flag("demo", "t", id, "abuse");
    await rig.flag("demo", "t", id, "abuse");
    const { page } = await open(`${rig.base}/moderate`);
    await signIn(page);
    const item = page.locator(`[data-comment-id="${id}"]`);
    await item.waitFor();
    expect(await item.locator(".status").textContent()).toBe("published, flagged");
    await item.getByRole("button", { name: "Dismiss flags" }).click();
    await eventually(() => status(page).textContent()).toBe("Approved: the comment by Loud.");
    expect((await rig.thread("demo", "t")).comments.map((c) => c.id)).toEqual([id]);
    expect((await rig.mod("GET", "/sites/demo/queue")).json.items).toEqual([]);
  });

  it("keeps the key in this tab's sessionStorage only, never in the URL, and refuses a wrong key", async () => {
    const rig = await startServer();
    const { page, context } = await open(`${rig.base}/moderate`);
    await page.getByLabel("Moderator key").fill("not-the-key");
    await page.keyboard.press("Enter");
    await eventually(() => page.locator("#cw-key-error").textContent()).toBe("That key was not accepted.");
    await signIn(page);
    expect(page.url()).toBe(`${rig.base}/moderate`);
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes("test-moderator-key")))).toBe(false);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([key]);
    await page.reload();
    await page.getByRole("tab", { name: "Queue" }).waitFor();
    expect(await page.locator(".signed-in").textContent()).toBe("Signed in as dev (admin)");

    const other = await context.newPage();
    await other.goto(`${rig.base}/moderate`);
    await other.getByLabel("Moderator key").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Moderator key").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("follows prefers-color-scheme and the theme toggle, with the widget's custom properties", async () => {
    const rig = await startServer();
    const { page } = await open(`${rig.base}/moderate`, { colorScheme: "dark" });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(23, 25, 28)");
    await page.locator("#cw-theme").click();
    expect(await page.locator("#cw-theme").textContent()).toBe("Theme: dark");
    await page.locator("#cw-theme").click();
    expect(await page.locator("#cw-theme").textContent()).toBe("Theme: light");
    expect(await background()).toBe("rgb(255, 255, 255)");
    await page.evaluate(() => document.documentElement.style.setProperty("--cw-bg", "rgb(250, 240, 230)"));
    expect(await background()).toBe("rgb(250, 240, 230)");
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
  });
});

describe("review page as a static asset", () => {
  it("runs from another origin with ?api= pointing at the API", async () => {
    const { html, script } = await buildReviewAssets();
    const files = new Map([["/moderate.html", html], ["/moderate.js", script]]);
    const staticServer: Server = createServer((req, res) => {
      const file = files.get(new URL(req.url ?? "/", "http://x").pathname);
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": file.contentType }).end(file.contents);
    });
    await new Promise<void>((done) => staticServer.listen(0, "127.0.0.1", done));
    try {
      const staticOrigin = `http://127.0.0.1:${(staticServer.address() as { port: number }).port}`;
      const rig = await startServer([newsSite("demo", "Demo")], { deps: { moderationOrigins: [staticOrigin] } });
      await rig.post("demo", "t", "from afar", { token: "test:0.5", name: "Remote" });
      const { page, trouble } = await open(`${staticOrigin}/moderate.html?api=${encodeURIComponent(rig.base)}`);
      expect(await page.locator(".warning").textContent()).toContain(rig.base);
      await signIn(page);
      await eventually(() => page.locator(".item .author").allTextContents()).toEqual(["Remote"]);
      await page.keyboard.press("a");
      await eventually(() => status(page).textContent()).toBe("Approved: the comment by Remote.");
      expect(realErrors(trouble.errors)).toEqual([]);
    } finally {
      await new Promise((done) => staticServer.close(done));
    }
  });
});
