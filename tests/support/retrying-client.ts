import { createServer } from "node:net";

/** One answer a retrying client saw. */
export interface SeenAnswer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

/** What a client that retries until its comment is accepted saw. */
export interface RetryOutcome {
  /** The final accepted answer (201 or 202), or null when it gave up. */
  accepted: { status: number; body: { comment: { id: string; status: string } } } | null;
  /** Every answer that was not an acceptance, and every thrown error (timeouts, resets). */
  failures: SeenAnswer[];
  errors: string[];
  attempts: number;
}

/**
 * Sends the same request again (same Idempotency-Key, same body) until it is accepted with 201 or 202,
 * after any error, timeout or non-2xx answer, waiting `pauseMs` between attempts.
 */
export async function retryUntilAccepted(send: () => Promise<Response>, options: { maxAttempts?: number; pauseMs?: () => number } = {}): Promise<RetryOutcome> {
  const outcome: RetryOutcome = { accepted: null, failures: [], errors: [], attempts: 0 };
  const maxAttempts = options.maxAttempts ?? 400;
  while (outcome.attempts < maxAttempts) {
    outcome.attempts += 1;
    try {
      const res = await send();
      const text = await res.text();
      const body = text ? (JSON.parse(text) as unknown) : null;
      if (res.status === 201 || res.status === 202) {
        outcome.accepted = { status: res.status, body: body as NonNullable<RetryOutcome["accepted"]>["body"] };
        return outcome;
      }
      outcome.failures.push({ status: res.status, retryAfter: res.headers.get("retry-after"), body });
    } catch (error) {
      outcome.errors.push((error as Error).name);
    }
    await new Promise((r) => setTimeout(r, options.pauseMs?.() ?? 50 + Math.random() * 150));
  }
  return outcome;
}

/** Resolves once nothing listens on the port any more (a stopped process may hold it a little longer). */
export async function waitForPortFree(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const free = await new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once("error", () => done(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => done(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still in use after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
