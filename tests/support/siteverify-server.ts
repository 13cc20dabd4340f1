import { createServer, type IncomingMessage, type Server } from "node:http";

/** What the fake provider does for one token. */
export type SiteverifyBehaviour =
  | { kind: "json"; status?: number; body: Record<string, unknown> }
  | { kind: "slow"; delayMs: number }
  /** Answers `body` once `until` settles (a provider that is slow for as long as a test needs). */
  | { kind: "held"; until: Promise<unknown>; body: Record<string, unknown> }
  | { kind: "status"; status: number; text?: string }
  | { kind: "reset" };

/** A real HTTP server on 127.0.0.1 that answers like a captcha provider's siteverify endpoint. */
export interface SiteverifyServer {
  url: string;
  /** Form fields of every request received. */
  requests: Record<string, string>[];
  stop(): Promise<void>;
}

/** Options of {@link startSiteverifyServer}. */
export interface SiteverifyOptions {
  /**
   * Refuse a token seen before with `timeout-or-duplicate`, as reCAPTCHA, Turnstile and hCaptcha do (tokens
   * are single-use). Default true; off only for tests that name the provider's answer by a reused token.
   */
  singleUseTokens?: boolean;
}

/** What the real services answer for a token that was already verified once. */
export const duplicateTokenAnswer = { success: false, "error-codes": ["timeout-or-duplicate"] };

/**
 * Starts the server. `behaviour(token)` decides the answer for each posted `response` token.
 * @example const provider = await startSiteverifyServer(() => ({ kind: "json", body: { success: true, score: 0.9 } }));
 */
export async function startSiteverifyServer(behaviour: (token: string) => SiteverifyBehaviour, options: SiteverifyOptions = {}): Promise<SiteverifyServer> {
  const requests: Record<string, string>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const verified = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    requests.push(form);
    const token = form.response ?? "";
    if ((options.singleUseTokens ?? true) && verified.has(token)) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(duplicateTokenAnswer));
      return;
    }
    verified.add(token);
    const answer = behaviour(token);
    switch (answer.kind) {
      case "json":
        res.writeHead(answer.status ?? 200, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
        return;
      case "status":
        res.writeHead(answer.status, { "content-type": "text/html" }).end(answer.text ?? "<html>error</html>");
        return;
      case "slow": {
        const timer = setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"success":true,"score":0.9}'), answer.delayMs);
        timers.add(timer);
        return;
      }
      case "held":
        void answer.until.then(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer.body)));
        return;
      case "reset":
        req.socket.destroy();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    requests,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
