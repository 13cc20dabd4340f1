import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { LocalServer } from "@comments/local";
import { createClients } from "@comments/store";
import { commentBody, dynamoEndpoint, freshStore, postJson, site, startApiServer, testApp } from "./support/harness.ts";
import { retryUntilAccepted } from "./support/retrying-client.ts";
import { startSiteverifyServer, type SiteverifyServer } from "./support/siteverify-server.ts";
import { checkStoredComments } from "./support/stored-invariants.ts";

const unlimited = { perMinute: 100_000, perHour: 100_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("exactly once under retries", () => {
  it("stores each comment once when every client retries each post several times at once with the same Idempotency-Key", async () => {
    const { store, tableName, clients } = await freshStore();
    const { app } = await testApp({ store, sites: [site({ rateLimit: unlimited })] });
    const clientCount = 8;
    const perClient = 8;
    const answers = new Map<string, { status: number; id: string }[]>();

    await Promise.all(
      Array.from({ length: clientCount }, async (_, client) => {
        for (let m = 0; m < perClient; m++) {
          const key = `storm-${client}-${m}`;
          const body = commentBody({ body: `storm ${client}/${m}`, captchaToken: m % 3 === 0 ? "test:0.5" : "test:0.9", author: { name: `Reader ${client}` } });
          // A client whose first attempt seems lost sends it again before the first one finished: 1 to 3 copies in flight.
          const copies = 1 + ((client + m) % 3);
          const statuses = await Promise.all(
            Array.from({ length: copies }, async (_, copy) => {
              await sleep(copy * Math.random() * 15);
              const res = await postJson(app, `/v1/sites/demo/threads/storm-${m % 2}/comments`, body, { "idempotency-key": key });
              return { status: res.status, id: ((await res.json()) as { comment?: { id: string } }).comment?.id ?? "" };
            }),
          );
          answers.set(key, statuses);
        }
      }),
    );

    expect(answers.size).toBe(clientCount * perClient);
    for (const [key, seen] of answers) {
      expect(seen.every((a) => a.status === seen[0]!.status && [201, 202].includes(a.status)), key).toBe(true);
      expect(new Set(seen.map((a) => a.id)).size, key).toBe(1);
    }
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(new Set(stored.comments.map((c) => c.id))).toEqual(new Set([...answers.values()].map((seen) => seen[0]!.id)));
    const published = [...answers.values()].filter((seen) => seen[0]!.status === 201).length;
    let counted = 0;
    for (const thread of ["storm-0", "storm-1"]) counted += (await (await app.request(`/v1/sites/demo/threads/${thread}/comments`)).json()).thread.commentCount;
    expect(counted).toBe(published);
  }, 60_000);

  describe("over real HTTP, with client timeouts shorter than some answers", () => {
    let server: LocalServer | undefined;
    let provider: SiteverifyServer | undefined;
    afterAll(async () => {
      await server?.stop();
      await provider?.stop();
    });

    it("accepts every comment exactly once although clients give up on slow answers and retry", async () => {
      // The captcha provider holds its answer to the first sight of some tokens until that post's client has given
      // up on it: the server finishes those attempts after their client left, whatever the machine's speed.
      const answerFor = (token: string) => ({ success: true, score: token.endsWith("-mid") ? 0.5 : 0.9, action: "comment" });
      const seenTokens = new Set<string>();
      const providerHas = new Map<string, () => void>();
      const clientLeft = new Map<string, Promise<void>>();
      provider = await startSiteverifyServer((token) => {
        const first = !seenTokens.has(token);
        seenTokens.add(token);
        if (first && clientLeft.has(token)) {
          providerHas.get(token)!();
          return { kind: "held", until: clientLeft.get(token)!, body: answerFor(token) };
        }
        return { kind: "json", body: answerFor(token) };
      });
      const tableName = `t-${randomUUID()}`;
      server = await startApiServer({
        tableName,
        env: { CAPTCHA_SECRET: "s3cret" },
        sites: [{ id: "demo", origins: [], rateLimit: unlimited, captcha: { provider: "recaptcha-v3", secretEnv: "CAPTCHA_SECRET", verifyUrl: provider.url } }],
      });
      const base = `http://127.0.0.1:${server.port}`;
      const clientCount = 6;
      const perClient = 6;

      /** A client's first attempt at a slow token: it gives up (a timeout) once the provider holds the token. */
      const firstAttemptSignal = (token: string): AbortSignal => {
        const controller = new AbortController();
        let left!: () => void;
        clientLeft.set(token, new Promise<void>((resolve) => (left = resolve)));
        providerHas.set(token, () => {
          controller.abort(new DOMException("The client stopped waiting", "TimeoutError"));
          left();
        });
        return controller.signal;
      };

      const outcomes = (
        await Promise.all(
          Array.from({ length: clientCount }, async (_, client) => {
            const mine = [];
            for (let m = 0; m < perClient; m++) {
              const token = `${(client + m) % 2 === 0 ? "slow" : "fast"}-${client}-${m}${m % 3 === 0 ? "-mid" : ""}`;
              const body = JSON.stringify(commentBody({ body: `over http ${client}/${m}`, captchaToken: token, author: { name: `Reader ${client}` } }));
              const key = `http-${client}-${m}`;
              let attempt = 0;
              const outcome = await retryUntilAccepted(
                () =>
                  fetch(`${base}/v1/sites/demo/threads/http-${m % 2}/comments`, {
                    method: "POST",
                    headers: { "content-type": "application/json", "idempotency-key": key },
                    body,
                    ...(attempt++ === 0 && token.startsWith("slow") ? { signal: firstAttemptSignal(token) } : {}),
                  }),
                { pauseMs: () => Math.random() * 50 },
              );
              mine.push(outcome);
            }
            return mine;
          }),
        )
      ).flat();

      // Clients did give up on slow answers, and then got their comment accepted.
      const timeouts = outcomes.flatMap((o) => o.errors).filter((name) => name === "TimeoutError").length;
      expect(timeouts).toBeGreaterThan(0);
      expect(outcomes.flatMap((o) => o.errors).every((name) => name === "TimeoutError")).toBe(true);
      expect(outcomes.flatMap((o) => o.failures)).toEqual([]);
      expect(outcomes.every((o) => o.accepted !== null)).toBe(true);

      // Slow first attempts finish on the server after their client left. Give them time to (wrongly) write a
      // second copy before the table is read; correct code turns each of them into a replay.
      await sleep(1200);
      const clients = createClients({ endpoint: dynamoEndpoint() });
      const stored = await checkStoredComments(clients.documentClient, tableName);
      clients.client.destroy();
      expect(stored.problems).toEqual([]);
      const acceptedIds = outcomes.map((o) => o.accepted!.body.comment.id);
      expect(new Set(acceptedIds).size).toBe(clientCount * perClient);
      expect(new Set(stored.comments.map((c) => c.id))).toEqual(new Set(acceptedIds));
      const published = outcomes.filter((o) => o.accepted!.status === 201).length;
      expect(published).toBeGreaterThan(0);
      expect(published).toBeLessThan(clientCount * perClient);
      let counted = 0;
      for (const thread of ["http-0", "http-1"]) counted += ((await (await fetch(`${base}/v1/sites/demo/threads/${thread}/comments?limit=100`)).json()) as { thread: { commentCount: number } }).thread.commentCount;
      expect(counted).toBe(published);
    }, 90_000);
  });
});
