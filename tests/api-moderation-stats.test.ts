import { describe, expect, it } from "vitest";
import { moderationStatsSchema } from "@comments/core";
import { newModeratorKey } from "@comments/api";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";

const threadPath = "/v1/sites/demo/threads/t/comments";

async function setup() {
  const { store } = await freshStore();
  let clock = new Date("2026-03-09T10:00:00.000Z");
  const { app } = await testApp({ store, now: () => clock, sites: [site({ rateLimit: { perMinute: 1000, perHour: 1000 } })] });
  const alice = newModeratorKey("alice", ["demo"], clock);
  await store.putModeratorKey(alice.record);
  const post = async (overrides: Record<string, unknown>) => (await (await postJson(app, threadPath, commentBody(overrides))).json()).comment.id as string;
  const decide = (id: string, action: string, key?: string) => postJson(app, `/v1/mod/sites/demo/threads/t/comments/${id}/decision`, { action }, asModerator(key));
  const stats = async (query = "") => {
    const res = await app.request(`/v1/mod/sites/demo/stats${query}`, { headers: asModerator() });
    expect(res.status).toBe(200);
    return moderationStatsSchema.parse(await res.json());
  };
  return { app, post, decide, stats, alice, at: (iso: string) => (clock = new Date(iso)) };
}

describe("moderation stats", () => {
  it("reports the queue now, decisions per day and moderator, time to decision and comments per day by outcome", async () => {
    const { post, decide, stats, alice, at } = await setup();
    // Monday: four comments arrive.
    at("2026-03-09T10:00:00.000Z");
    const waitsTenMinutes = await post({ body: "low score one", captchaToken: "test:0.5" });
    await post({ body: "published" });
    await post({ body: "spam", website: "x" });
    at("2026-03-09T11:00:00.000Z");
    const waitsAnHour = await post({ body: "low score two", captchaToken: "test:0.5" });
    await post({ body: "low score three (still waiting)", captchaToken: "test:0.4" });
    // Monday 10:10 and Tuesday 12:00: two decisions, by two moderators.
    at("2026-03-09T10:10:00.000Z");
    expect((await decide(waitsTenMinutes, "approve")).status).toBe(200);
    at("2026-03-10T12:00:00.000Z");
    expect((await decide(waitsAnHour, "reject", alice.key)).status).toBe(200);
    // A second decision on the same comment is refused and counts nothing.
    expect((await decide(waitsAnHour, "spam")).status).toBe(409);

    const result = await stats("?days=3");
    expect(result.queue).toEqual({ size: 1, oldestAt: "2026-03-09T11:00:00.000Z", byReason: { captcha_low_score: 1 } });
    expect(result.decisions.perDay).toEqual([
      { date: "2026-03-08", approve: 0, reject: 0, spam: 0 },
      { date: "2026-03-09", approve: 1, reject: 0, spam: 0 },
      { date: "2026-03-10", approve: 0, reject: 1, spam: 0 },
    ]);
    expect(result.decisions.byModerator).toEqual([
      { moderator: "alice", count: 1 },
      { moderator: "dev", count: 1 },
    ]);
    expect(result.comments.perDay).toEqual([
      { date: "2026-03-08", published: 0, pending: 0, spam: 0 },
      { date: "2026-03-09", published: 1, pending: 3, spam: 1 },
      { date: "2026-03-10", published: 0, pending: 0, spam: 0 },
    ]);
    // 600 s and 25 h (90 000 s): the median is the shorter wait, p95 the longer, each within a bucket (~19 %).
    const { p50Seconds, p95Seconds } = result.decisions.timeToDecision;
    expect(p50Seconds).toBeGreaterThanOrEqual(600 / 1.2);
    expect(p50Seconds).toBeLessThanOrEqual(600 * 1.2);
    expect(p95Seconds).toBeGreaterThanOrEqual(90_000 / 1.2);
    expect(p95Seconds).toBeLessThanOrEqual(90_000 * 1.2);

    // One day: only today.
    const today = await stats("?days=1");
    expect(today.decisions.perDay).toEqual([{ date: "2026-03-10", approve: 0, reject: 1, spam: 0 }]);
    expect(today.decisions.byModerator).toEqual([{ moderator: "alice", count: 1 }]);
  });

  it("counts flagged comments in the queue by reason and starts empty for a quiet site", async () => {
    const { app, post, stats, at } = await setup();
    at("2026-03-09T10:00:00.000Z");
    const empty = await stats();
    expect(empty.queue).toEqual({ size: 0, oldestAt: null, byReason: {} });
    expect(empty.decisions.perDay).toHaveLength(7);
    expect(empty.decisions.perDay[6]!.date).toBe("2026-03-09");
    expect(empty.decisions.timeToDecision).toEqual({ p50Seconds: null, p95Seconds: null });
    expect(empty.decisions.byModerator).toEqual([]);

    const flagged = await post({ body: "flag me" });
    for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) {
      expect((await postJson(app, `${threadPath}/${flagged}/flags`, { reason: "abuse" }, { "x-test-ip": ip })).status).toBe(202);
    }
    await post({ body: "low", captchaToken: "test:0.5" });
    expect((await stats()).queue.byReason).toEqual({ reader_flags: 1, captcha_low_score: 1 });
  });

  it("answers 400 for days outside 1..90", async () => {
    const { app } = await setup();
    for (const days of ["0", "91", "abc", "7.5", "-1", ""]) {
      const res = await app.request(`/v1/mod/sites/demo/stats?days=${days}`, { headers: asModerator() });
      expect(res.status, days).toBe(400);
      expect((await res.json()).error.fields).toHaveProperty("days");
    }
    expect((await app.request("/v1/mod/sites/demo/stats?days=90", { headers: asModerator() })).status).toBe(200);
  });
});
