import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { countsSchema, queuePageSchema } from "@comments/core";
import { createHasher } from "@comments/api";
import { importComments, readWordpress, type ImportSummary } from "@comments/migrate";
import { asModerator, commentBody, commentBy, freshStore, postJson, readThreadPage, site, testApp, testIpHashKey } from "./support/harness.ts";
import { checkStoredComments, unsafeHtmlProblems } from "./support/stored-invariants.ts";

const fixture = fileURLToPath(new URL("./fixtures/import/wordpress.xml", import.meta.url));
/** The key `testApp` hashes with, so imported author hashes match what the API computes. */
const hasher = createHasher(testIpHashKey);
const helloThread = "/2024/03/hello-world/";
const persianThread = "/2024/03/%d8%b3%d9%84%d8%a7%d9%85/";

type App = Awaited<ReturnType<typeof testApp>>["app"];



describe("importing a WordPress export", () => {
  let app: App;
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  let summary: ImportSummary;

  beforeAll(async () => {
    fresh = await freshStore();
    ({ app } = await testApp({ store: fresh.store }));
    summary = await importComments(readWordpress(fixture), { store: fresh.store, siteId: "demo", hasher });
  });

  it("reports threads, comments by status and what it skipped, with reasons", () => {
    expect(summary).toEqual({
      threads: 2,
      imported: { published: 7, pending: 1, rejected: 0, spam: 1 },
      alreadyPresent: 0,
      skipped: { "in the trash": 1, pingback: 1, 'comment type "order_note"': 1 },
      orphanedReplies: 2,
    });
  });

  it("shows a post's approved comments in date order, replies linked to their parents", async () => {
    const page = await readThreadPage(app, helloThread);
    expect(page.thread).toEqual({ siteId: "demo", threadId: helloThread, commentCount: 6, closed: false, url: null, title: null });
    expect(page.comments.map((c) => c.author.name)).toEqual(["Eve Early", "Ann Reader", "مریم", "Bob & Co", "Dan Orphan", "Fay Follower"]);
    const dates = page.comments.map((c) => c.createdAt);
    expect(dates).toEqual([...dates].sort());
    expect(dates[1]).toBe("2024-03-01T10:00:00.000Z"); // the GMT date, not the local one
    expect(dates[0]).toBe("2024-03-01T09:30:00.000Z"); // no GMT date in the export: the local one
    const [ann, maryam, bob] = [commentBy(page.comments, "Ann Reader"), commentBy(page.comments, "مریم"), commentBy(page.comments, "Bob & Co")];
    expect(ann.parentId).toBeNull();
    expect(maryam.parentId).toBe(ann.id);
    expect(bob.parentId).toBe(maryam.id);
    expect(ann.author.url).toBe("https://ann.example");
    expect(bob.author.url).toBeNull(); // a javascript: URL is not a website
  });

  it("imports replies whose parent is missing or trashed as top-level comments", async () => {
    const page = await readThreadPage(app, helloThread);
    expect(commentBy(page.comments, "Dan Orphan").parentId).toBeNull();
    expect(commentBy(page.comments, "Fay Follower").parentId).toBeNull();
  });

  it("renders imported HTML as safe comment HTML: no script, no javascript: link, entities decoded", async () => {
    const page = await readThreadPage(app, helloThread);
    for (const comment of page.comments) expect(unsafeHtmlProblems(comment.bodyHtml), comment.author.name).toEqual([]);
    const bob = commentBy(page.comments, "Bob & Co").bodyHtml;
    expect(bob).toContain("<strong>Careful</strong>");
    expect(bob).not.toContain("xss");
    expect(bob).not.toMatch(/javascript:/i);
    expect(bob).toContain("click me");
    expect(bob).toContain('<a href="https://safe.example/page" rel="nofollow ugc noopener noreferrer" target="_blank">a safe link</a>');
    expect(bob).toContain("2*3*4 = 24 &amp; &lt;b&gt; stays text.");
    expect(commentBy(page.comments, "Ann Reader").bodyHtml).toBe("<p>First comment.<br>\nIt has a second line.</p>");
  });

  it("keeps Persian text and right-to-left links intact", async () => {
    const maryam = commentBy((await readThreadPage(app, helloThread)).comments, "مریم");
    expect(maryam.bodyHtml).toContain("سلام! این یک نظر فارسی است.");
    expect(maryam.bodyHtml).toContain(">پیوند</a> به مقاله.");
    expect(maryam.bodyHtml).toContain('href="https://fa.example/%D9%85%D9%82%D8%A7%D9%84%D9%87"');
  });

  it("takes each thread id from the post's permalink path, as the browser shows it", async () => {
    const page = await readThreadPage(app, persianThread);
    expect(page.comments).toHaveLength(1);
    expect(page.comments[0]!.bodyHtml).toBe("<p>Paragraph one.</p>\n<p>Paragraph two<br>\nwith a break &amp; an entity.</p>");
    const counts = countsSchema.parse(
      await (await app.request(`/v1/sites/demo/counts?thread=${encodeURIComponent(helloThread)}&thread=${encodeURIComponent(persianThread)}&thread=%2Fabout%2F`)).json(),
    );
    expect(counts.counts).toEqual({ [helloThread]: 6, [persianThread]: 1, "/about/": 0 });
  });

  it("puts held comments in the moderation queue and keeps spam out of it", async () => {
    const res = await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() });
    const queue = queuePageSchema.parse(await res.json());
    expect(queue.items.map((c) => [c.author.name, c.status, c.reasons])).toEqual([["Carol Pending", "pending", ["imported"]]]);
    expect(queue.items[0]!.details).toEqual(["Awaiting moderation in the WordPress export"]);
    expect(queue.items[0]!.author.email).toBe("carol@example.com");
  });

  it("leaves the stored table consistent: one item per comment, counters equal to published comments", async () => {
    const stored = await checkStoredComments(fresh.clients.documentClient, fresh.tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments.map((c) => c.status).sort()).toEqual([...Array(7).fill("published"), "pending", "spam"].sort());
  });

  it("creates no duplicates when run again, and keeps a moderator's decision made in between", async () => {
    const queue = queuePageSchema.parse(await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json());
    const carol = queue.items[0]!;
    const decided = await postJson(app, `/v1/mod/sites/demo/threads/${encodeURIComponent(helloThread)}/comments/${carol.id}/decision`, { action: "approve" }, asModerator());
    expect(decided.status).toBe(200);

    const again = await importComments(readWordpress(fixture), { store: fresh.store, siteId: "demo", hasher });
    expect(again).toMatchObject({ threads: 2, imported: { published: 0, pending: 0, rejected: 0, spam: 0 }, alreadyPresent: 9 });

    const page = await readThreadPage(app, helloThread);
    expect(page.thread.commentCount).toBe(7);
    expect(page.comments.map((c) => c.author.name)).toContain("Carol Pending");
    const stored = await checkStoredComments(fresh.clients.documentClient, fresh.tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(9);
  });

  it("knows imported authors, so a site that pre-moderates first comments publishes their next one", async () => {
    const { app: strict } = await testApp({ store: fresh.store, sites: [site({ id: "demo", moderation: { premoderateFirstComment: true } })] });
    const known = await postJson(strict, "/v1/sites/demo/threads/new-article/comments", commentBody({ author: { name: "Ann", email: "ann@example.com" } }));
    expect(known.status).toBe(201);
    const stranger = await postJson(strict, "/v1/sites/demo/threads/new-article/comments", commentBody({ author: { name: "New", email: "new@example.com" } }));
    expect(stranger.status).toBe(202);
  });
});

describe("WordPress thread ids", () => {
  it("can come from the post's slug or its numeric id", async () => {
    const { store } = await freshStore();
    const { app } = await testApp({ store });
    await importComments(readWordpress(fixture, { threadFrom: "slug" }), { store, siteId: "demo", hasher });
    await importComments(readWordpress(fixture, { threadFrom: "id" }), { store, siteId: "demo", hasher });
    expect((await readThreadPage(app, "hello-world")).thread.commentCount).toBe(6);
    expect((await readThreadPage(app, "101")).thread.commentCount).toBe(6);
    expect((await readThreadPage(app, "102")).thread.commentCount).toBe(1);
    expect((await readThreadPage(app, helloThread)).comments).toEqual([]);
  });
});

describe("a file that is not a WordPress export", () => {
  it("is refused with a message naming the problem", async () => {
    const { store } = await freshStore();
    const disqus = fileURLToPath(new URL("./fixtures/import/disqus.xml", import.meta.url));
    await expect(importComments(readWordpress(disqus), { store, siteId: "demo", hasher })).rejects.toThrow(/not a WordPress export \(its root element is <disqus>/);
  });
});
