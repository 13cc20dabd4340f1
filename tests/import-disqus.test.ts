import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { queuePageSchema } from "@comments/core";
import { createHasher } from "@comments/api";
import { importComments, readDisqus, type ImportSummary } from "@comments/migrate";
import { asModerator, commentBy, freshStore, readThreadPage, testApp, testIpHashKey } from "./support/harness.ts";
import { checkStoredComments, unsafeHtmlProblems } from "./support/stored-invariants.ts";

const fixture = fileURLToPath(new URL("./fixtures/import/disqus.xml", import.meta.url));
const hasher = createHasher(testIpHashKey);
/** The second thread has no disqus_identifier: its link's path (as a browser encodes it) is the thread id. */
const persianThread = "/fa/%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4/";

type App = Awaited<ReturnType<typeof testApp>>["app"];



describe("importing a Disqus export", () => {
  let app: App;
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  let summary: ImportSummary;

  beforeAll(async () => {
    fresh = await freshStore();
    ({ app } = await testApp({ store: fresh.store }));
    summary = await importComments(readDisqus(fixture), { store: fresh.store, siteId: "demo", hasher });
  });

  it("reports threads, comments by status and what it skipped, with reasons", () => {
    expect(summary).toEqual({
      threads: 2,
      imported: { published: 8, pending: 1, rejected: 0, spam: 1 },
      alreadyPresent: 0,
      skipped: { deleted: 1, "thread deleted": 1 },
      orphanedReplies: 2,
    });
  });

  it("files posts under the thread's disqus_identifier, in date order, replies linked to their parents", async () => {
    const page = await readThreadPage(app, "article-1");
    expect(page.thread.commentCount).toBe(7);
    expect(page.comments.map((c) => c.author.name)).toEqual(["Ann Reader", "Guest Reader", "Carol", "Bob", "Dan", "Eve", "Mallory <b>"]);
    const dates = page.comments.map((c) => c.createdAt);
    expect(dates).toEqual([...dates].sort());
    expect(commentBy(page.comments, "Guest Reader").parentId).toBe(commentBy(page.comments, "Ann Reader").id);
    // Listed before its parent in the file: linked all the same.
    expect(commentBy(page.comments, "Bob").parentId).toBe(commentBy(page.comments, "Carol").id);
    expect(commentBy(page.comments, "Dan").parentId).toBeNull(); // parent deleted
    expect(commentBy(page.comments, "Eve").parentId).toBeNull(); // parent not in the export
  });

  it("renders Disqus HTML as safe comment HTML", async () => {
    const page = await readThreadPage(app, "article-1");
    for (const comment of page.comments) expect(unsafeHtmlProblems(comment.bodyHtml), comment.author.name).toEqual([]);
    expect(commentBy(page.comments, "Ann Reader").bodyHtml).toBe("<p>Hello <strong>world</strong>, a first comment.</p>");
    const mallory = commentBy(page.comments, "Mallory <b>").bodyHtml;
    expect(mallory).not.toMatch(/javascript:|cookie|onerror|onclick|<img/i);
    expect(mallory).toContain("win a prize");
    expect(mallory).toContain('<a href="https://safe.example/x" rel="nofollow ugc noopener noreferrer" target="_blank">safe</a>');
  });

  it("imports authors without an email (known by name) and keeps Persian text", async () => {
    const guest = commentBy((await readThreadPage(app, "article-1")).comments, "Guest Reader");
    expect(guest.bodyHtml).toBe("<p>پاسخ فارسی: موافقم!</p>\n<p>خط دوم<br>\nخط سوم</p>");
    const persian = await readThreadPage(app, persianThread);
    expect(persian.comments.map((c) => [c.author.name, c.bodyHtml, c.createdAt])).toEqual([
      ["Ann Reader", "<p>نظری در گزارش فارسی</p>", "2023-05-02T09:00:00.000Z"],
    ]);
  });

  it("queues unapproved posts for moderators and keeps spam out of the queue", async () => {
    const queue = queuePageSchema.parse(await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json());
    expect(queue.items.map((c) => [c.author.name, c.status])).toEqual([["Fay", "pending"]]);
    const stored = await checkStoredComments(fresh.clients.documentClient, fresh.tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments.filter((c) => c.status === "spam").map((c) => c.authorName)).toEqual(["Spammer"]);
  });

  it("creates no duplicates and keeps the counts when run again", async () => {
    const again = await importComments(readDisqus(fixture), { store: fresh.store, siteId: "demo", hasher });
    expect(again).toMatchObject({ imported: { published: 0, pending: 0, rejected: 0, spam: 0 }, alreadyPresent: 10 });
    expect((await readThreadPage(app, "article-1")).thread.commentCount).toBe(7);
    const stored = await checkStoredComments(fresh.clients.documentClient, fresh.tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(10);
  });
});

describe("Disqus thread ids", () => {
  it("can come from the thread's link path or Disqus's own id", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store });
    await importComments(readDisqus(fixture, { threadFrom: "path" }), { store, siteId: "demo", hasher });
    await importComments(readDisqus(fixture, { threadFrom: "id" }), { store, siteId: "demo", hasher });
    expect((await readThreadPage(app, "/articles/1/")).thread.commentCount).toBe(7);
    expect((await readThreadPage(app, "7001")).thread.commentCount).toBe(7);
    expect((await readThreadPage(app, "7002")).thread.commentCount).toBe(1);
  });
});
