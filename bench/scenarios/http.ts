import { gzipSync } from "node:zlib";
import { benchSiteId } from "../support/environment.ts";
import { seedThread } from "../support/seed.ts";
import type { ScenarioContext } from "./context.ts";
import { measureGet, measurePost, postTemplate, threadPageUrl } from "./http-load.ts";

/** Reads and posts on a scratch thread before anything is measured: a fresh JVM and V8 answer slowly at first. */
async function warmUpStack(ctx: ScenarioContext) {
  const threadId = "warm-up";
  await seedThread(ctx.env.clients.documentClient, ctx.env.server.tableName, benchSiteId, threadId, ctx.config.threadSize);
  ctx.log(`warm-up: ${ctx.config.stackWarmupSeconds} s of reads and posts`);
  const url = threadPageUrl(ctx, threadId);
  const seconds = ctx.config.stackWarmupSeconds / 2;
  await ctx.load.run({ url, method: "GET", headers: {}, connections: ctx.config.connections, seconds });
  await ctx.load.run({
    url: url.replace(/\?.*$/, ""),
    method: "POST",
    headers: { "content-type": "application/json" },
    body: postTemplate(),
    connections: ctx.config.connections,
    seconds,
  });
}

/**
 * Scenarios 1 and 2: a page of 50 from a thread of 200 over HTTP (plain and with `If-None-Match`),
 * then comment posts into that thread; under load (`connections`) and for one reader alone (1 connection:
 * the latency of a request that waits for no other).
 */
export async function httpScenarios(ctx: ScenarioContext) {
  await warmUpStack(ctx);
  const threadId = `http-${ctx.config.threadSize}`;
  await seedThread(ctx.env.clients.documentClient, ctx.env.server.tableName, benchSiteId, threadId, ctx.config.threadSize);
  const url = threadPageUrl(ctx, threadId);

  ctx.log(`read: GET a page of ${ctx.config.pageSize} from a thread of ${ctx.config.threadSize}`);
  const first = await fetch(url);
  if (first.status !== 200) throw new Error(`thread read answered ${first.status}: ${await first.text()}`);
  const etag = first.headers.get("etag");
  if (!etag) throw new Error("thread read sent no ETag");
  const pageJson = await first.text();
  const pageBytes = { bytes: Buffer.byteLength(pageJson), gzipBytes: gzipSync(pageJson).length };
  const read = await measureGet(ctx, url);

  ctx.log("read 304: the same with If-None-Match");
  const notModified = await measureGet(ctx, url, { "if-none-match": etag });

  ctx.log("read: one connection");
  const readAlone = await measureGet(ctx, url, {}, 1);
  ctx.log("read 304: one connection");
  const notModifiedAlone = await measureGet(ctx, url, { "if-none-match": etag }, 1);

  ctx.log("post: comments into the same thread");
  const post = await measurePost(ctx, threadId);
  ctx.log("post: one connection");
  const postAlone = await measurePost(ctx, threadId, 1);
  return { threadId, pageBytes, read, notModified, readAlone, notModifiedAlone, post, postAlone };
}
