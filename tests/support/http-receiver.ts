import { createServer, type IncomingHttpHeaders } from "node:http";

/** One request as the receiver saw it (raw body, exactly as sent). */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers; `hold` delays the answer until it settles (or the client gives up). */
export interface ReceiverAnswer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  hold?: Promise<unknown>;
}

/** A real HTTP server on 127.0.0.1 (free port) that records requests and answers as told. */
export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/**
 * Starts a receiver for webhooks and hooks. `answer` gets each request and its 0-based index.
 * @example const receiver = await startReceiver((_, i) => (i < 2 ? { status: 503 } : { status: 200 }));
 */
export async function startReceiver(answer: (request: ReceivedRequest, index: number) => ReceiverAnswer = () => ({ status: 200 })): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<{ count: number; done: (r: ReceivedRequest[]) => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      const index = requests.push(request) - 1;
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done(requests.slice());
        }
      }
      const reply = answer(request, index);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body ?? "{}");
      };
      if (reply.hold) void reply.hold.then(send, send);
      else send();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received(count) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((done) => waiters.push({ count, done }));
    },
    close() {
      return new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
