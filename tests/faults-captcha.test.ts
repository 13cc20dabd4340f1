import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queuePageSchema } from "@comments/core";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";
import { startSiteverifyServer, type SiteverifyBehaviour, type SiteverifyServer } from "./support/siteverify-server.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

/** Faults a provider shows under load; the token names the fault. */
const faults: Record<string, SiteverifyBehaviour> = {
  slow: { kind: "slow", delayMs: 3000 },
  "5xx": { kind: "status", status: 503, text: "<html>overloaded</html>" },
  "500": { kind: "status", status: 500, text: "" },
  malformed: { kind: "status", status: 200, text: '{"success": tru' },
  "not-json": { kind: "status", status: 200, text: "<html>captcha</html>" },
  reset: { kind: "reset" },
};

let provider: SiteverifyServer;
beforeAll(async () => {
  provider = await startSiteverifyServer((token) => faults[token.split(":")[0]!] ?? { kind: "json", body: { success: true, score: 0.9, action: "comment" } });
});
afterAll(async () => provider?.stop());

async function providerApp(verifyUrl: string) {
  const { store, tableName, clients } = await freshStore();
  const { app } = await testApp({
    store,
    sites: [site({ rateLimit: { perMinute: 1000, perHour: 1000 }, captcha: { provider: "recaptcha-v3", secretEnv: "CAPTCHA_SECRET", verifyUrl, timeoutMs: 1000 } })],
    secrets: { CAPTCHA_SECRET: "s3cret" },
  });
  return { app, tableName, clients };
}

async function queueIds(app: Awaited<ReturnType<typeof providerApp>>["app"]) {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await app.request(`/v1/mod/sites/demo/queue?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers: asModerator() });
    const page = queuePageSchema.parse(await res.json());
    for (const item of page.items) {
      expect(item.reasons).toEqual(["captcha_unavailable"]);
      expect(item.captchaScore).toBeNull();
      ids.push(item.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe("captcha provider faults under concurrent load", () => {
  it("keeps every comment of a burst as pending (captcha_unavailable) while the provider is slow, failing, malformed or resetting", async () => {
    const { app, tableName, clients } = await providerApp(provider.url);
    const kinds = [...Object.keys(faults), "ok"];
    const burst = Array.from({ length: 42 }, (_, i) => ({ token: `${kinds[i % kinds.length]}:${i}`, ip: `10.20.${Math.floor(i / 200)}.${i % 200}` }));
    const answers = await Promise.all(
      burst.map(async ({ token, ip }, i) => {
        const res = await postJson(app, "/v1/sites/demo/threads/burst/comments", commentBody({ body: `burst ${i}`, captchaToken: token }), { "x-test-ip": ip });
        return { token, status: res.status, json: (await res.json()) as { comment: { id: string; status: string } } };
      }),
    );
    const faulty = answers.filter((a) => !a.token.startsWith("ok"));
    const clear = answers.filter((a) => a.token.startsWith("ok"));
    for (const answer of faulty) expect([answer.token, answer.status, answer.json.comment.status]).toEqual([answer.token, 202, "pending"]);
    // A clear answer that arrives after the timeout on a busy machine is an outage too: queued, never lost.
    for (const answer of clear) expect([201, 202]).toContain(answer.status);
    // Nothing accepted is lost: every queued one waits in the queue, the published ones are counted.
    const queued = answers.filter((a) => a.status === 202);
    expect((await queueIds(app)).sort()).toEqual(queued.map((a) => a.json.comment.id).sort());
    const page = await (await app.request("/v1/sites/demo/threads/burst/comments?limit=100")).json();
    expect(page.thread.commentCount).toBe(answers.length - queued.length);
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments).toHaveLength(burst.length);
  }, 60_000);

  it("keeps every comment when the provider goes away in the middle of a burst", async () => {
    const vanishing = await startSiteverifyServer(() => ({ kind: "slow", delayMs: 200 }));
    const { app, tableName, clients } = await providerApp(vanishing.url);
    const posts = Array.from({ length: 30 }, (_, i) =>
      postJson(app, "/v1/sites/demo/threads/vanish/comments", commentBody({ body: `vanish ${i}`, captchaToken: `token-${i}` }), { "x-test-ip": `10.21.0.${i}` }),
    );
    // Stop the provider while the first posts wait for its answer; the rest find nothing listening.
    await new Promise((r) => setTimeout(r, 50));
    await vanishing.stop();
    const answers = await Promise.all(posts);
    expect(answers.every((r) => r.status === 201 || r.status === 202)).toBe(true);
    const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as { comment: { id: string } }).comment.id));
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(new Set(stored.comments.map((c) => c.id))).toEqual(new Set(ids));
    // Pending ones are in the queue with the reason; published ones are counted.
    const queued = await queueIds(app);
    expect(queued.length).toBe(answers.filter((r) => r.status === 202).length);
    expect(queued.length).toBeGreaterThan(0);
  }, 60_000);
});
