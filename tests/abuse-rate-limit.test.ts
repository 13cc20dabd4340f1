import { afterEach, describe, expect, it } from "vitest";
import { errorResponseSchema, type SiteConfigInput } from "@comments/core";
import type { LocalServer } from "@comments/local";
import { createClients } from "@comments/store";
import { commentBody, dynamoEndpoint, startApiServer } from "./support/harness.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const limit = 7;
// Mid-minute and mid-hour, so a burst can never straddle a window boundary.
const fixedNow = new Date("2026-05-04T10:30:30.000Z");
const limitedSite = (id: string): SiteConfigInput => ({ id, origins: [], rateLimit: { perMinute: limit, perHour: 100 } });

let server: LocalServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function start(env: Record<string, string> = {}) {
  server = await startApiServer({
    env,
    sites: [limitedSite("demo"), limitedSite("other")],
    deps: { now: () => fixedNow },
  });
  return { server, base: `http://127.0.0.1:${server.port}` };
}

/** 50 posts fired at once over HTTP; returns each status with its Retry-After and error code. */
async function burst(base: string, siteId: string, headersFor: (i: number) => Record<string, string> = () => ({})) {
  return Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const res = await fetch(`${base}/v1/sites/${siteId}/threads/burst/comments`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headersFor(i) },
        body: JSON.stringify(commentBody({ body: `burst ${siteId} ${i}`, captchaToken: i % 5 === 0 ? "test:0.5" : "test:0.9", website: i % 7 === 0 ? "http://bot.example" : undefined })),
      });
      const json = (await res.json()) as unknown;
      return { status: res.status, retryAfter: res.headers.get("retry-after"), code: res.status >= 400 ? errorResponseSchema.parse(json).error.code : null };
    }),
  );
}

/**
 * Never more than the limit: of the racing posts at most `admitted` are accepted, the rest are refused with
 * `429 rate_limited` and the window's `Retry-After`. Only a store too busy to answer (503) may leave the limit
 * unreached.
 */
function expectLimitHeld(answers: Awaited<ReturnType<typeof burst>>, admitted = limit) {
  const statuses = answers.map((a) => a.status).join(",");
  const accepted = answers.filter((a) => a.status === 201 || a.status === 202);
  const unavailable = answers.filter((a) => a.status === 503);
  expect(answers.every((a) => [201, 202, 429, 503].includes(a.status)), statuses).toBe(true);
  expect(accepted.length, statuses).toBeLessThanOrEqual(admitted);
  expect(accepted.length + unavailable.length, statuses).toBeGreaterThanOrEqual(admitted);
  for (const answer of answers.filter((a) => a.status === 429)) {
    expect(answer.code).toBe("rate_limited");
    // The minute window ends 30 s after the fixed clock.
    expect(answer.retryAfter).toBe("30");
  }
  for (const answer of unavailable) {
    expect(answer.code).toBe("unavailable");
    expect(answer.retryAfter).toMatch(/^[1-9]\d*$/);
  }
}

describe("rate limits under parallel bursts over HTTP", () => {
  it("admits no more than perMinute of 50 racing posts from one address, counting queued and spam ones too", async () => {
    const { server, base } = await start();
    const answers = await burst(base, "demo");
    expectLimitHeld(answers);
    const clients = createClients({ endpoint: dynamoEndpoint() });
    const stored = await checkStoredComments(clients.documentClient, server.tableName);
    clients.client.destroy();
    expect(stored.problems).toEqual([]);
    // What is stored never exceeds the limit either (a 503 may hide a write that did land).
    expect(stored.comments.length).toBeLessThanOrEqual(limit);
    expect(stored.comments.length).toBeGreaterThanOrEqual(answers.filter((a) => a.status === 201 || a.status === 202).length);
  }, 60_000);

  it("keeps a separate limit per site for the same address", async () => {
    const { base } = await start();
    const [demo, other] = await Promise.all([burst(base, "demo"), burst(base, "other")]);
    expectLimitHeld(demo);
    expectLimitHeld(other);
  }, 60_000);

  it("ignores X-Forwarded-For without a trusted proxy, so forged addresses do not multiply the limit", async () => {
    const { base } = await start();
    expectLimitHeld(await burst(base, "demo", (i) => ({ "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}`, "cloudfront-viewer-address": `198.51.100.${i}:1234` })));
  }, 60_000);

  it("limits each client separately behind a trusted proxy (TRUSTED_PROXY_HOPS=1)", async () => {
    const { base } = await start({ TRUSTED_PROXY_HOPS: "1" });
    // Two readers behind our proxy; what they put in front of the header themselves does not count.
    const answers = await burst(base, "demo", (i) => ({ "x-forwarded-for": `10.0.0.${i}, ${i % 2 === 0 ? "192.0.2.10" : "192.0.2.11"}` }));
    expectLimitHeld(answers, 2 * limit);
  }, 60_000);
});
