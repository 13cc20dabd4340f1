import { benchSiteId } from "../support/environment.ts";
import { batchWrite, sampleComment, seedItems, seedThread } from "../support/seed.ts";
import { threadKey, threadSortHeads } from "@comments/store";
import type { ScenarioContext } from "./context.ts";
import { meteredApp } from "./capacity.ts";
import { measureGet, measurePost, threadPageUrl } from "./http-load.ts";

/** Seeds `threads` other threads of a few comments each, so the table is not just the threads under test. */
async function seedOtherThreads(ctx: ScenarioContext) {
  const { otherThreads, commentsPerOtherThread } = ctx.config;
  const startMs = Date.now() - 86_400_000;
  const items = [];
  for (let t = 0; t < otherThreads; t++) {
    const threadId = `other-${t}`;
    const comments = Array.from({ length: commentsPerOtherThread }, (_, n) => sampleComment(benchSiteId, threadId, n, startMs + n * 60_000));
    items.push(...comments.flatMap(seedItems), {
      ...threadKey({ siteId: benchSiteId, threadId: threadId }),
      gsi3sk: threadSortHeads.newest,
      gsi4sk: threadSortHeads.top,
      siteId: benchSiteId,
      threadId,
      commentCount: comments.length,
      version: comments.length,
      firstCommentAt: comments[0]?.createdAt ?? null,
    });
  }
  await batchWrite(ctx.env.clients.documentClient, ctx.env.server.tableName, items);
  return items.length;
}

/**
 * Scenario 7: the read and post scenarios on threads of growing size, next to many other threads, with
 * the read units of one page: the cost follows the page, not the thread.
 */
export async function scaleScenario(ctx: ScenarioContext) {
  const seedStarted = performance.now();
  const otherItems = await seedOtherThreads(ctx);
  const otherSeedSeconds = (performance.now() - seedStarted) / 1000;
  ctx.log(`scale: seeded ${ctx.config.otherThreads} other threads (${otherItems} items) in ${otherSeedSeconds.toFixed(1)} s`);
  const { app, measure, close } = meteredApp(ctx.env.endpoint, ctx.env.server.tableName);
  const rows = [];
  try {
    for (const size of ctx.config.scaleSizes) {
      const threadId = `scale-${size}`;
      const started = performance.now();
      await seedThread(ctx.env.clients.documentClient, ctx.env.server.tableName, benchSiteId, threadId, size);
      const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
      ctx.log(`scale: thread of ${size} (seeded in ${seedSeconds} s)`);
      const page = await measure("scale page", 200, () => app.request(`/v1/sites/${benchSiteId}/threads/${threadId}/comments?limit=${ctx.config.pageSize}`));
      const read = await measureGet(ctx, threadPageUrl(ctx, threadId));
      const post = await measurePost(ctx, threadId);
      rows.push({ comments: size, seedSeconds, pageReadUnits: page.cost.readUnits, read, post });
    }
  } finally {
    close();
  }
  return {
    otherThreads: ctx.config.otherThreads,
    otherItems,
    otherSeedSeconds: Math.round(otherSeedSeconds * 10) / 10,
    rows,
  };
}
