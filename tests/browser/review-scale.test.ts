import { describe, expect, it } from "vitest";
import { eventually, useBrowserTestLimits } from "../support/browser.ts";
import { realErrors, selectedId, signIn, statusLine, useReviewRig } from "./review-fixture.ts";

useBrowserTestLimits();
const { startServer, open } = useReviewRig();

describe("review page: context and author history", () => {
  it("shows the parent of a reply and the author's counts, filters by reason, and lists all of an author's comments with one key", async () => {
    const rig = await startServer();
    const root = await rig.post("politics/budget", "The budget adds up.", { name: "Root Writer", email: "root@example.com" });
    await rig.post("world/kabul", "Hello all, first time here.", { name: "Mina", email: "mina@example.com" });
    const reply = await rig.post("politics/budget", "Only at the casino does it add up.", { name: "Mina", email: "mina@example.com", parentId: root });
    const links = await rig.post("politics/budget", "See https://a.example https://b.example https://c.example", { name: "Mina", email: "mina@example.com" });

    const { page, trouble } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(2);
    const item = page.locator(`[data-comment-id="${reply}"]`);
    expect(await item.locator(".thread").textContent()).toBe("Thread: politics/budget");
    expect(await item.locator(".parent-who").textContent()).toBe("In reply to Root Writer");
    expect(await item.locator(".parent-body").textContent()).toContain("The budget adds up.");
    expect(await item.locator(".counts").textContent()).toBe("Author so far: 1 published · 2 pending · 0 rejected · 0 spam");
    expect(await item.locator(".banned-mark").count()).toBe(0);

    // The reason filter shows only what it names; the count says how much is hidden.
    expect(await page.locator("#cw-filter option").allTextContents()).toEqual(["All reasons", "suspect words (1)", "too many links (1)"]);
    await page.selectOption("#cw-filter", "too_many_links");
    await eventually(() => page.locator(".item").evaluateAll((items) => items.map((i) => i.getAttribute("data-comment-id")))).toEqual([links]);
    expect(await page.locator("#cw-queue-summary").textContent()).toBe("2 comments wait for a decision. Showing 1 of 2.");
    await page.selectOption("#cw-filter", "");
    await eventually(() => page.locator(".item").count()).toBe(2);

    // "u" opens every comment of the author, newest first; Esc goes back to the same comment.
    await page.locator(`[data-comment-id="${reply}"]`).click();
    await page.keyboard.press("u");
    await eventually(() => page.locator("#cw-author-title").textContent()).toBe("All comments by Mina");
    await eventually(() => page.locator(".author-comment").count()).toBe(3);
    expect(await page.locator(".author-comment .status").allTextContents()).toEqual(["pending", "pending", "published"]);
    expect(await page.locator(".author-comment .body").last().textContent()).toContain("Hello all, first time here.");
    await page.keyboard.press("Escape");
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute("data-comment-id"))).toBe(reply);
    expect(realErrors(trouble.errors)).toEqual([]);
  });
});

describe("review page: bulk decisions and purge", () => {
  it("approves 20 comments at once with the keyboard alone, reports the one another moderator took, and bans with purge", async () => {
    const rig = await startServer();
    const spam = [
      await rig.post("t", "casino one", { name: "Spammer", email: "spam@example.com" }),
      await rig.post("t", "casino two", { name: "Spammer", email: "spam@example.com" }),
    ];
    const published = await rig.post("t", "a harmless one", { name: "Spammer", email: "spam@example.com" });
    const twenty: string[] = [];
    for (let n = 0; n < 20; n++) twenty.push(await rig.post("t", `Worth reading ${n}`, { name: `Reader ${n}`, email: `r${n}@example.com`, score: "0.5" }));

    const { page, trouble } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(22);
    expect(await selectedId(page)).toBe(spam[0]);

    // x ticks the current comment, Shift+X ticks the range from there.
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    for (let n = 0; n < 19; n++) await page.keyboard.press("j");
    await page.keyboard.press("Shift+X");
    await eventually(() => page.locator("#cw-picked").textContent()).toBe("20 comments selected");
    expect(await page.locator(".item.picked").evaluateAll((items) => items.map((i) => i.getAttribute("data-comment-id")))).toEqual(twenty);

    // Another moderator decides one of them first: it is reported, not counted twice.
    expect((await rig.mod("POST", `/sites/demo/threads/t/comments/${twenty[5]}/decision`, { action: "reject" })).status).toBe(200);
    await page.keyboard.press("a");
    await eventually(() => page.locator(".bulk-summary").textContent()).toBe("Approved 19 of 20.");
    expect(await page.locator("#cw-bulk-results li").count()).toBe(20);
    expect(await page.locator(`#cw-bulk-results li[data-comment-id="${twenty[5]}"]`).textContent()).toBe("Reader 5: already decided");
    expect(await page.locator(".item").count()).toBe(2);
    const shown = (await rig.thread("t")).comments.map((c) => c.id);
    expect(twenty.filter((id) => shown.includes(id))).toEqual(twenty.filter((_, n) => n !== 5));

    // Ban with purge: every published and pending comment of the author is rejected.
    expect(await page.locator(`[data-comment-id="${spam[0]}"] .counts`).textContent()).toBe("Author so far: 1 published · 2 pending · 0 rejected · 0 spam");
    await page.keyboard.press("b");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("cw-ban-purge");
    await page.keyboard.press("Space");
    await page.keyboard.press("Enter");
    await eventually(() => statusLine(page).textContent()).toBe("Banned Spammer for 7 days and rejected all their comments.");
    await eventually(() => page.locator("#cw-queue-summary").textContent()).toBe("The queue is empty. Nothing waits for a decision.");
    expect((await rig.thread("t")).comments.map((c) => c.id)).not.toContain(published);
    expect((await rig.mod("GET", "/sites/demo/queue")).json.items).toEqual([]);
    const audit = (await rig.mod("GET", "/sites/demo/audit?limit=100")).json.items as Array<{ action: string; commentId: string }>;
    for (const id of [...spam, published]) expect(audit.filter((e) => e.commentId === id && e.action === "reject")).toHaveLength(1);
    expect(realErrors(trouble.errors)).toEqual([]);
  });

  it("selects with the mouse: a click ticks, Shift+click ticks a range, select all and clear", async () => {
    const rig = await startServer();
    for (let n = 0; n < 5; n++) await rig.post("t", `Queued ${n}`, { name: `Reader ${n}`, score: "0.5" });
    const { page } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(5);
    await page.locator(".item .pick").nth(1).click();
    await page.locator(".item .pick").nth(3).click({ modifiers: ["Shift"] });
    await eventually(() => page.locator("#cw-picked").textContent()).toBe("3 comments selected");
    await page.getByLabel("Select all shown").check();
    await eventually(() => page.locator("#cw-picked").textContent()).toBe("5 comments selected");
    await page.getByRole("button", { name: "Clear selection" }).click();
    await eventually(() => page.locator(".item.picked").count()).toBe(0);
    expect(await page.locator("#cw-picked").textContent()).toBe("");
  });
});

describe("review page: keys and stats", () => {
  it("lets an admin create a key (shown once, copied), which signs in as a moderator without the Keys tab, then revoke it", async () => {
    const rig = await startServer();
    const { page, context } = await open(`${rig.base}/moderate`);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: rig.base });
    await signIn(page);
    expect(await page.locator(".signed-in").textContent()).toBe("Signed in as dev (admin)");
    await page.getByRole("tab", { name: "Keys" }).click();
    await page.getByLabel("Name", { exact: true }).fill("alice");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.locator("#cw-new-key-value").inputValue();
    expect(secret).toMatch(/^mk_/);
    await page.getByRole("button", { name: "Copy" }).click();
    await eventually(() => page.locator(".copy-status").textContent()).toBe("Copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const row = page.locator("#cw-panel-keys tbody tr").filter({ hasText: "alice" });
    await eventually(() => row.locator("td").first().textContent()).toBe("alice");
    expect(await row.locator("td").nth(1).textContent()).toBe("moderator");
    expect(await page.locator("#cw-panel-keys table").textContent()).not.toContain(secret.split(".")[1]);

    const other = await open(`${rig.base}/moderate`);
    await signIn(other.page, secret);
    expect(await other.page.locator(".signed-in").textContent()).toBe("Signed in as alice (moderator)");
    expect(await other.page.getByRole("tab").allTextContents()).toEqual(["Queue", "Audit log", "Stats", "Bans"]);

    await row.getByRole("button", { name: "Revoke key alice" }).click();
    expect(await row.getByRole("alert").textContent()).toBe("Revoke “alice”? Anyone using it is signed out at once.");
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await eventually(() => statusLine(page).textContent()).toBe("Revoked the key “alice”.");
    expect(await row.count()).toBe(0);
    expect((await rig.mod("GET", "/me", undefined, secret)).status).toBe(401);
  });

  it("shows the stats tab: the queue now, time to decision, and four charts each with its table", async () => {
    const rig = await startServer();
    const first = await rig.post("t", "casino talk", { name: "A" });
    await rig.post("t", "more casino talk", { name: "B" });
    await rig.post("t", "fine words", { name: "C" });
    expect((await rig.mod("POST", `/sites/demo/threads/t/comments/${first}/decision`, { action: "reject" })).status).toBe(200);
    const { page } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await page.getByRole("tab", { name: "Stats" }).click();
    const panel = page.locator("#cw-panel-stats");
    await eventually(() => panel.locator("figure").count()).toBe(4);
    expect(await panel.locator("dd").first().textContent()).toBe("1");
    expect(await panel.locator("svg[role=img]").count()).toBe(4);
    expect(await panel.locator("svg[role=img]").first().getAttribute("aria-label")).toBe("Chart: Waiting, by reason. The table beside it has the figures.");
    expect(await panel.locator("figure").nth(0).locator("tbody tr").allTextContents()).toEqual(["suspect words1"]);
    expect(await panel.locator("figure").nth(2).locator("tbody tr").allTextContents()).toEqual(["dev1"]);
    expect(await panel.locator("figure").nth(1).locator("tbody tr").count()).toBe(7);
    expect(await panel.locator("figure").nth(1).locator("rect").count()).toBe(1);
  });
});

describe("review page: Persian", () => {
  it("switches to Persian, right to left with Persian digits, and remembers the choice", async () => {
    const rig = await startServer();
    for (let n = 0; n < 3; n++) await rig.post("t", `casino ${n}`, { name: `R${n}` });
    const { page } = await open(`${rig.base}/moderate`);
    await signIn(page);
    await eventually(() => page.locator(".item").count()).toBe(3);
    await page.selectOption("#cw-lang", "fa");
    await eventually(() => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(["fa", "rtl"]);
    await eventually(() => page.locator("#cw-queue-summary").textContent()).toBe("۳ نظر منتظر تصمیم است.");
    expect(await page.getByRole("tab").allTextContents()).toEqual(["صف", "گزارش تصمیم‌ها", "آمار", "کلیدها", "محرومیت‌ها"]);
    expect(await page.locator(".item").first().locator("button[data-action=approve]").textContent()).toBe("پذیرش a");
    await page.reload();
    await eventually(() => page.locator("#cw-queue-summary").textContent()).toBe("۳ نظر منتظر تصمیم است.");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
  });
});
