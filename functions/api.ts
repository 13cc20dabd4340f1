/// <reference path="../sst-env.d.ts" />
import type { Context } from "hono";
// hono marks this adapter deprecated in favour of @hono/aws-lambda, which the npm registry does not serve yet.
import { handle, type LambdaEvent } from "hono/aws-lambda";
import { Resource } from "sst";
import { clientIpResolver, createApp, createRuntime, defaultReadCacheMs } from "@comments/api";
import { linkedSecrets } from "./linked-secrets.ts";
import { edgeKey, viewerAddressFromEdge, viewerIpHeaders } from "../infra/viewer-ip.ts";

/**
 * The API on Lambda (function URL behind the CloudFront router). Everything is built once per container,
 * at module scope; a bad sites configuration fails the cold start with the loader's message.
 *
 * Table name and secrets come from SST links (`Resource`). `DYNAMODB_ENDPOINT` points the client at a
 * DynamoDB-compatible server instead of AWS; only tests and local tools set it, never the infrastructure.
 */


// The composition root: sites (which look up `captcha.secretEnv` in the linked secrets), store, logger, phases.
const runtime = createRuntime({
  env: process.env,
  secrets: linkedSecrets(),
  ipHashKey: Resource.IpHashKey.value,
  table: { name: Resource.CommentTable.name },
  // READ_CACHE_MS, default one second: each instance serves a hot thread's page from memory, dropped by its own writes.
  readCacheDefaultMs: defaultReadCacheMs,
});
const edge = edgeKey(Resource.IpHashKey.value);

/** The address that connected to the function URL: a CloudFront edge, or a client calling the URL directly. */
function sourceIp(c: Context): string | undefined {
  const event = (c.env as { event?: LambdaEvent } | undefined)?.event;
  const context = event?.requestContext;
  return context && "http" in context ? context.http.sourceIp : undefined;
}

const app = createApp(runtime.appDeps({
  // Moderator keys live in the table (moderator CLI); no key is valid for every site on AWS.
  devModeratorKey: null,
  clientIp: clientIpResolver({
    // Through the router, the reader's address comes from our edge function; anything else is its own peer.
    peer: (c) =>
      viewerAddressFromEdge({ key: c.req.header(viewerIpHeaders.key), address: c.req.header(viewerIpHeaders.address) }, edge) ??
      sourceIp(c),
  }),
}));

/** Lambda handler for function URL / API Gateway v2 events. */
export const handler = handle(app);
