import { describe, expect, it } from "vitest";
import { auditPageSchema, likeAnswerSchema, repliesPageSchema, threadPageSchema, type PublicComment } from "@comments/core";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";

const comments = (thread: string) => `/v1/sites/demo/threads/${thread}/comments`;
const busySite = site({ rateLimit: { perMinute: 1000, perHour: 1000 } });

type App = Awaited<ReturnType<typeof testApp>>["app"];

let ip = 0;
/** Posts a published comment (a new IP each time, so only the rules under test apply) and returns its id. */
async function post(app: App, thread: string, body: string, parentId?: string): Promise<string> {
  ip++;
  const res = await postJson(app, comments(thread), commentBody({ body, ...(parentId ? { parentId } : {}) }), { "x-test-ip": `10.9.${Math.floor(ip / 200)}.${ip % 200}` });
  expect(res.status).toBe(201);
  return (await res.json()).comment.id;
}

async function page(app: App, thread: string, query = "") {
  const res = await app.request(`${comments(thread)}${query}`);
  expect(res.status).toBe(200);
  return threadPageSchema.parse(await res.json());
}

const like = (app: App, thread: string, id: string, method: "PUT" | "DELETE", reader = "198.51.100.1") =>
  app.request(`${comments(thread)}/${id}/like`, { method, headers: { "x-test-ip": reader } });

const decide = (app: App, thread: string, id: string, action: string) =>
  postJson(app, `/v1/mod/sites/demo/threads/${thread}/comments/${id}/decision`, { action }, asModerator());

const ids = (list: PublicComment[]) => list.map((c) => c.id);

describe("a thread page in each order", () => {
  it("follows each top-level comment with its whole sub-thread, oldest first; limit counts top-level comments", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const a = await post(app, "subs", "root a");
    const b = await post(app, "subs", "root b");
    const a1 = await post(app, "subs", "reply to a", a);
    const b1 = await post(app, "subs", "reply to b", b);
    const a1x = await post(app, "subs", "reply to the reply", a1);
    const c = await post(app, "subs", "root c");

    const oldest = await page(app, "subs");
    expect(ids(oldest.comments)).toEqual([a, a1, a1x, b, b1, c]);
    expect(oldest.thread.commentCount).toBe(6);
    expect(oldest.comments.find((x) => x.id === a1x)?.parentId).toBe(a1);

    const newest = await page(app, "subs", "?sort=newest");
    expect(ids(newest.comments)).toEqual([c, b, b1, a, a1, a1x]);

    const firstTwo = await page(app, "subs", "?limit=2&sort=newest");
    expect(ids(firstTwo.comments)).toEqual([c, b, b1]);
    const rest = await page(app, "subs", `?limit=2&cursor=${firstTwo.nextCursor}`);
    expect(ids(rest.comments)).toEqual([a, a1, a1x]);
    expect(rest.nextCursor).toBeNull();
  });

  it("sorts by likes with sort=top (ties: oldest first) and takes the site's defaultSort when none is asked", async () => {
    const { app } = await testApp({ sites: [{ ...busySite, defaultSort: "top" }] });
    const a = await post(app, "top", "root a");
    const b = await post(app, "top", "root b");
    const c = await post(app, "top", "root c");
    await like(app, "top", c, "PUT", "198.51.100.1");
    await like(app, "top", c, "PUT", "198.51.100.2");
    await like(app, "top", b, "PUT", "198.51.100.1");
    const top = await page(app, "top");
    expect(ids(top.comments)).toEqual([c, b, a]);
    expect(top.comments.map((x) => x.likes)).toEqual([2, 1, 0]);
    const paged = await page(app, "top", "?limit=1&sort=top");
    const second = await page(app, "top", `?limit=1&sort=top&cursor=${paged.nextCursor}`);
    expect([...ids(paged.comments), ...ids(second.comments)]).toEqual([c, b]);
    expect(ids((await page(app, "top", "?sort=oldest")).comments)).toEqual([a, b, c]);
  });

  it("refuses an unknown sort, and a cursor of another order, with 400 validation_failed", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const res = await app.request(`${comments("t")}?sort=best`);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "validation_failed", fields: { sort: expect.any(String) } });
    await post(app, "t", "one");
    await post(app, "t", "two");
    const first = await page(app, "t", "?limit=1&sort=newest");
    const mixed = await app.request(`${comments("t")}?limit=1&sort=oldest&cursor=${first.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect((await mixed.json()).error.fields).toHaveProperty("cursor");
  });

  it("shows 50 replies of a long sub-thread with moreReplies, and the replies route pages the rest", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const root = await post(app, "long", "the root");
    const replies: string[] = [];
    for (let i = 0; i < 53; i++) replies.push(await post(app, "long", `reply number ${i}`, root));
    const first = await page(app, "long");
    expect(first.comments[0]).toMatchObject({ id: root, moreReplies: 3 });
    expect(ids(first.comments.slice(1))).toEqual(replies.slice(0, 50));
    expect(first.thread.commentCount).toBe(54);
    const res = await app.request(`${comments("long")}/${root}/replies`);
    const more = repliesPageSchema.parse(await res.json());
    expect(ids(more.comments)).toEqual(replies.slice(50));
    expect(more.nextCursor).toBeNull();
  });

  it("answers around=<id> with the page that holds that comment, even far from the first", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const roots: string[] = [];
    for (let i = 0; i < 5; i++) roots.push(await post(app, "deep", `root ${i}`));
    const reply = await post(app, "deep", "a reply deep down", roots[4]);
    for (const sort of ["oldest", "newest", "top"]) {
      const found = await page(app, "deep", `?limit=2&sort=${sort}&around=${reply}`);
      expect(ids(found.comments)).toContain(reply);
    }
    const unknown = await app.request(`${comments("deep")}?around=01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("comment_not_found");
    expect((await app.request(`${comments("deep")}?around=nope`)).status).toBe(400);
  });

  it("costs one DynamoDB call for a first page and two for a later one, in every order", async () => {
    const calls: string[] = [];
    const { store } = await freshStore({ onCapacity: (operation) => calls.push(operation) });
    const { app } = await testApp({ sites: [busySite], store });
    for (let i = 0; i < 4; i++) await post(app, "cost", `root ${i}`);
    for (const sort of ["oldest", "newest", "top"]) {
      calls.length = 0;
      const first = await page(app, "cost", `?limit=2&sort=${sort}`);
      expect(calls).toEqual(["readThreadPage"]);
      calls.length = 0;
      await page(app, "cost", `?limit=2&sort=${sort}&cursor=${first.nextCursor}`);
      expect(calls).toEqual(["readThreadPage", "readThreadPage"]);
    }
  });
});

describe("likes", () => {
  it("counts one like per reader; repeats change nothing; DELETE takes it back", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const id = await post(app, "likes", "likeable");
    const answers = [];
    for (const [method, reader] of [["PUT", "1.1.1.1"], ["PUT", "1.1.1.1"], ["PUT", "2.2.2.2"], ["DELETE", "1.1.1.1"], ["DELETE", "1.1.1.1"]] as const) {
      const res = await like(app, "likes", id, method, reader);
      expect(res.status).toBe(200);
      answers.push(likeAnswerSchema.parse(await res.json()));
    }
    expect(answers).toEqual([
      { likes: 1, liked: true },
      { likes: 1, liked: true },
      { likes: 2, liked: true },
      { likes: 1, liked: false },
      { likes: 1, liked: false },
    ]);
    expect((await page(app, "likes")).comments[0]?.likes).toBe(1);
  });

  it("counts racing likes of one reader once, and likes of replies too", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const root = await post(app, "race", "root");
    const reply = await post(app, "race", "reply", root);
    const results = await Promise.all(Array.from({ length: 6 }, () => like(app, "race", reply, "PUT")));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const shown = (await page(app, "race")).comments.find((c) => c.id === reply);
    expect(shown?.likes).toBe(1);
  });

  it("likes only published comments (404 comment_not_found) and limits an IP to 60 like requests a minute", async () => {
    const { app } = await testApp({ sites: [busySite], now: () => new Date("2026-06-01T10:00:05.000Z") });
    const pending = await postJson(app, comments("rl"), commentBody({ body: "waiting", captchaToken: "test:0.5" }));
    const pendingId = (await pending.json()).comment.id;
    expect((await like(app, "rl", pendingId, "PUT")).status).toBe(404);
    expect((await like(app, "rl", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "PUT")).status).toBe(404);
    const id = await post(app, "rl", "popular");
    for (let i = 0; i < 60; i++) expect((await like(app, "rl", id, i % 2 ? "DELETE" : "PUT", "7.7.7.7")).status).toBe(200);
    const refused = await like(app, "rl", id, "PUT", "7.7.7.7");
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("featured comments", () => {
  it("puts up to three on the first page, most recently featured first, audited; unfeature takes one out", async () => {
    const { app } = await testApp({ sites: [busySite] });
    expect((await page(app, "news")).featured).toEqual([]);
    const list: string[] = [];
    for (let i = 0; i < 4; i++) list.push(await post(app, "news", `worth reading ${i}`));
    for (const id of list) expect((await decide(app, "news", id, "feature")).status).toBe(200);
    const first = await page(app, "news", "?limit=1");
    expect(ids(first.featured ?? [])).toEqual([list[3], list[2], list[1]]);
    expect((await page(app, "news", `?limit=1&cursor=${first.nextCursor}`)).featured).toBeUndefined();
    expect((await decide(app, "news", list[2]!, "unfeature")).status).toBe(200);
    expect(ids((await page(app, "news")).featured ?? [])).toEqual([list[3], list[1]]);
    const audit = auditPageSchema.parse(await (await app.request("/v1/mod/sites/demo/audit", { headers: asModerator() })).json());
    expect(audit.items.map((entry) => entry.action).slice(0, 2)).toEqual(["unfeature", "feature"]);
  });

  it("features published comments only: 409 already_decided otherwise", async () => {
    const { app } = await testApp({ sites: [busySite] });
    const res = await postJson(app, comments("q"), commentBody({ body: "waiting", captchaToken: "test:0.5" }));
    const id = (await res.json()).comment.id;
    const refused = await decide(app, "q", id, "feature");
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: "already_decided", status: "pending" });
  });
});

describe("what a page costs", () => {
  it("a first page of 50 comments of about 250 characters reads at most 3 units in every order", async () => {
    const units: Record<string, number> = {};
    const { store } = await freshStore({ onCapacity: (operation, used) => (units[operation] = (units[operation] ?? 0) + used) });
    const { app } = await testApp({ sites: [busySite], store });
    const body = (n: number) =>
      `Comment ${n}: the council vote on the new bus lanes was closer than the article suggests. Three members changed their minds after the *public hearing*, and the budget figures quoted come from last year's plan, not this one.`;
    for (let i = 0; i < 51; i++) await post(app, "units", body(i));
    for (const sort of ["oldest", "newest", "top"]) {
      for (const key of Object.keys(units)) delete units[key];
      const first = await page(app, "units", `?sort=${sort}`);
      expect(first.comments).toHaveLength(50);
      expect(units.readThreadPage).toBeGreaterThan(0);
      expect(units.readThreadPage).toBeLessThanOrEqual(3);
    }
  });
});
