import { createServer, type IncomingMessage, type Server } from "node:http";

/** What the fake provider does for one token. */
export type SiteverifyBehaviour =
  | { kind: "json"; status?: number; body: Record<string, unknown> }
  | { kind: "slow"; delayMs: number }
  | { kind: "status"; status: number; text?: string }
  | { kind: "reset" };

/** A real HTTP server on 127.0.0.1 that answers like a captcha provider's siteverify endpoint. */
export interface SiteverifyServer {
  url: string;
  /** Form fields of every request received. */
  requests: Record<string, string>[];
  stop(): Promise<void>;
}

/**
 * Starts the server. `behaviour(token)` decides the answer for each posted `response` token.
 * @example const provider = await startSiteverifyServer(() => ({ kind: "json", body: { success: true, score: 0.9 } }));
 */
export async function startSiteverifyServer(behaviour: (token: string) => SiteverifyBehaviour): Promise<SiteverifyServer> {
  const requests: Record<string, string>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    requests.push(form);
    const answer = behaviour(form.response ?? "");
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
