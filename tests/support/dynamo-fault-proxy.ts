import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";

/** What the proxy does with one DynamoDB call. */
export type DynamoFault =
  | { kind: "forward" }
  /** `ProvisionedThroughputExceededException`, exactly as DynamoDB answers it (HTTP 400). */
  | { kind: "throttle" }
  /** `TransactionCanceledException` with `TransactionConflict` for the first item, as DynamoDB answers a lost race. */
  | { kind: "conflict" };

/** One call as the proxy saw it. */
export interface DynamoCall {
  /** The operation, e.g. `TransactWriteItems`. */
  operation: string;
  fault: DynamoFault["kind"];
}

/** A running proxy. */
export interface DynamoFaultProxy {
  endpoint: string;
  calls: DynamoCall[];
  close(): Promise<void>;
}

const errorType = "com.amazonaws.dynamodb.v20120810#";

/**
 * A real HTTP proxy on 127.0.0.1 in front of a real DynamoDB Local that answers chosen calls with the error
 * DynamoDB sends when it throttles or when transactions collide, and forwards everything else untouched.
 * DynamoDB Local itself neither throttles (provisioned capacity is ignored) nor reports transaction conflicts
 * (it serialises transactions behind table locks), so this is how those answers reach the SDK for real.
 * `decide` gets the operation, how many calls of it came before, and the call's body and SDK attempt number.
 * @example const proxy = await startDynamoFaultProxy(endpoint, (op, n) => (op === "TransactWriteItems" && n < 3 ? { kind: "conflict" } : { kind: "forward" }));
 */
export async function startDynamoFaultProxy(
  upstream: string,
  decide: (operation: string, index: number, call: { body: Record<string, unknown>; attempt: number }) => DynamoFault,
): Promise<DynamoFaultProxy> {
  const target = new URL(upstream);
  const calls: DynamoCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
      } catch {
        // not JSON: forward as is
      }
      // The SDK numbers the attempts of one call: `amz-sdk-request: attempt=2; max=3`.
      const attempt = Number(/attempt=(\d+)/.exec(String(req.headers["amz-sdk-request"] ?? ""))?.[1] ?? 1);
      const fault = decide(operation, calls.filter((c) => c.operation === operation).length, { body, attempt });
      calls.push({ operation, fault: fault.kind });
      if (fault.kind === "throttle") {
        return reply(res, 400, {
          __type: `${errorType}ProvisionedThroughputExceededException`,
          message: "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
        });
      }
      if (fault.kind === "conflict") {
        const count = Array.isArray(body.TransactItems) ? body.TransactItems.length : 1;
        const reasons = Array.from({ length: count }, (_, i) => (i === 0 ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" } : { Code: "None" }));
        return reply(res, 400, {
          __type: `${errorType}TransactionCanceledException`,
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
          CancellationReasons: reasons,
        });
      }
      forward(target, req.method ?? "POST", req.url ?? "/", req.headers, raw, res);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function reply(res: import("node:http").ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(text), "x-amzn-requestid": "fault-proxy" });
  res.end(text);
}

function forward(target: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, res: import("node:http").ServerResponse) {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method, path, headers: { ...headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  upstream.end(body);
}
