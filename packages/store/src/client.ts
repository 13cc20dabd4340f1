import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

/** Options for {@link createClients}. */
export interface DocumentClientOptions {
  /** A DynamoDB-compatible endpoint (DynamoDB Local); omit on AWS. */
  endpoint?: string;
  region?: string;
  /** Per-attempt timeout; a dead store must turn into a quick 503, not a hung request. */
  requestTimeoutMs?: number;
  /** Attempts per call including the first; the SDK backs off with jitter between them. */
  maxAttempts?: number;
  /** Credentials for a local endpoint (the embedded store's per-installation ones); default a fixed pair. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Creates the DynamoDB client and the DocumentClient the store uses: keep-alive connections, bounded timeouts,
 * `removeUndefinedValues` so optional fields never become invalid items.
 * Create it once per process (module scope in Lambda).
 */
export function createClients(options: DocumentClientOptions = {}): { client: DynamoDBClient; documentClient: DynamoDBDocumentClient } {
  const local = options.endpoint !== undefined;
  const config: DynamoDBClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1000,
      requestTimeout: options.requestTimeoutMs ?? 3000,
      httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    }),
  };
  if (local) {
    config.endpoint = options.endpoint;
    // DynamoDB Local keeps one database per access key id; a shared store accepts any, so a fixed pair is the default.
    config.credentials = options.credentials ?? { accessKeyId: "local", secretAccessKey: "local" };
  }
  const client = new DynamoDBClient(config);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, documentClient };
}
