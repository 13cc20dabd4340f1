import { createClients, createStore } from "@comments/store";
import { benchModeratorKey, benchSiteId } from "../support/environment.ts";
import { meterCapacity, type MeteredCall } from "../support/capacity-meter.ts";
import { inProcessApp, postJson } from "../support/in-process-app.ts";
import { sampleBody, seedThread } from "../support/seed.ts";
import { round } from "../support/stats.ts";
import type { ScenarioContext } from "./context.ts";

/** DynamoDB's bill for one API request: how many calls it made and the units they consumed. */
export interface OperationCost {
  calls: number;
  /** Units as DynamoDB Local reports them (`ReturnConsumedCapacity`). */
  readUnits: number;
  writeUnits: number;
  /** The least AWS on-demand bills for the same calls (see `capacity-meter.ts`). */
  awsReadUnits: number;
  awsWriteUnits: number;
  /** Each call, in order (e.g. `Query 6R`, `TransactWriteItems 6W (AWS ≥ 12)`). */
  detail: string[];
  /** Units as the store's own `onCapacity` hook reported them, by store operation. */
  storeReported: Record<string, number>;
}

function summarise(calls: MeteredCall[], storeReported: Record<string, number>): OperationCost {
  return {
    calls: calls.length,
    readUnits: round(calls.reduce((sum, call) => sum + call.readUnits, 0)),
    writeUnits: round(calls.reduce((sum, call) => sum + call.writeUnits, 0)),
    awsReadUnits: round(calls.reduce((sum, call) => sum + call.awsReadUnits, 0)),
    awsWriteUnits: round(calls.reduce((sum, call) => sum + call.awsWriteUnits, 0)),
    detail: calls.map((call) => {
      const units = [call.readUnits ? `${round(call.readUnits)}R` : "", call.writeUnits ? `${round(call.writeUnits)}W` : ""].filter(Boolean);
      const aws = call.awsReadUnits + call.awsWriteUnits;
      const local = call.readUnits + call.writeUnits;
      return `${call.command} ${units.join("+") || "0"}${aws !== local ? ` (AWS ≥ ${round(aws)})` : ""}`;
    }),
    storeReported,
  };
}

/** An in-process app whose every DynamoDB call is metered; `measure` runs one request and returns its cost. */
export function meteredApp(endpoint: string, tableName: string) {
  const clients = createClients({ endpoint });
  let storeReported: Record<string, number> = {};
  const store = createStore(clients.documentClient, tableName, {
    onCapacity: (operation, units) => (storeReported[operation] = round((storeReported[operation] ?? 0) + units)),
  });
  const meter = meterCapacity(clients.documentClient);
  const app = inProcessApp(store);
  return {
    app,
    async measure(name: string, expected: number, run: () => Response | Promise<Response>) {
      storeReported = {};
      const { value: response, calls } = await meter.during(async () => run());
      if (response.status !== expected) throw new Error(`${name}: expected ${expected}, got ${response.status}: ${await response.text()}`);
      return { response, cost: summarise(calls, storeReported) };
    },
    close: () => clients.client.destroy(),
  };
}

/**
 * Scenario 4: what each operation costs in DynamoDB capacity units (`ReturnConsumedCapacity`), measured on
 * every call the request makes: a thread page, the next page, a 304, a published comment, a queued comment,
 * a moderator's decision, a queue page with its context, the stats of 7 days, a permalink and the Atom feeds of
 * the site and the thread.
 */
export async function capacityScenario(ctx: ScenarioContext) {
  const { app, measure, close } = meteredApp(ctx.env.endpoint, ctx.env.server.tableName);
  try {
    const threadId = `capacity-${ctx.config.threadSize}`;
    await seedThread(ctx.env.clients.documentClient, ctx.env.server.tableName, benchSiteId, threadId, ctx.config.threadSize);
    const base = `/v1/sites/${benchSiteId}/threads/${threadId}/comments`;

    ctx.log("capacity: read, 304, post, queue, decide");
    const page = await measure("thread page", 200, () => app.request(`${base}?limit=${ctx.config.pageSize}`));
    const { nextCursor } = (await page.response.json()) as { nextCursor: string | null };
    const etag = page.response.headers.get("etag") ?? "";
    const nextPage = nextCursor
      ? await measure("next page", 200, () => app.request(`${base}?limit=${ctx.config.pageSize}&cursor=${nextCursor}`))
      : null;
    // Every order of the same thread: first page and the next one (roots only in the seeded thread).
    const sorted: Record<string, { first: OperationCost; next: OperationCost | null }> = {};
    for (const sort of ["oldest", "newest", "top"]) {
      const first = await measure(`thread page (${sort})`, 200, () => app.request(`${base}?limit=${ctx.config.pageSize}&sort=${sort}`));
      const cursor = ((await first.response.json()) as { nextCursor: string | null }).nextCursor;
      const next = cursor ? await measure(`next page (${sort})`, 200, () => app.request(`${base}?limit=${ctx.config.pageSize}&sort=${sort}&cursor=${cursor}`)) : null;
      sorted[sort] = { first: first.cost, next: next?.cost ?? null };
    }
    const notModified = await measure("304", 304, () => app.request(`${base}?limit=${ctx.config.pageSize}`, { headers: { "if-none-match": etag } }));
    const published = await measure("published comment", 201, () =>
      postJson(app, base, { author: { name: "Bench Reader" }, body: sampleBody(1), captchaToken: "test:0.9", page: { url: "https://news.example/bench-article", title: "Bench article" } }),
    );
    const { comment: posted } = (await published.response.clone().json()) as { comment: { id: string } };
    const permalink = await measure("permalink", 302, () => app.request(`/v1/sites/${benchSiteId}/comments/${posted.id}`));
    const siteFeed = await measure("site feed", 200, () => app.request(`/v1/sites/${benchSiteId}/comments.atom`));
    const threadFeed = await measure("thread feed", 200, () => app.request(`${base}.atom`));
    const queued = await measure("queued comment", 202, () =>
      postJson(app, base, { author: { name: "Bench Reader" }, body: sampleBody(2), captchaToken: "test:0.5" }),
    );
    const { comment } = (await queued.response.json()) as { comment: { id: string } };
    const decision = await measure("decision", 200, () =>
      postJson(app, `/v1/mod/sites/${benchSiteId}/threads/${threadId}/comments/${comment.id}/decision`, { action: "approve" }, {
        authorization: `Bearer ${benchModeratorKey}`,
      }),
    );
    // The review page's reads: a queue page with each comment's context, and the stats of a week.
    const moderator = { headers: { authorization: `Bearer ${benchModeratorKey}` } };
    for (let i = 0; i < 3; i++) await postJson(app, base, { author: { name: `Queued ${i}` }, body: sampleBody(10 + i), captchaToken: "test:0.5" });
    const queuePage = await measure("queue page", 200, () => app.request(`/v1/mod/sites/${benchSiteId}/queue`, moderator));
    const stats = await measure("stats of 7 days", 200, () => app.request(`/v1/mod/sites/${benchSiteId}/stats?days=7`, moderator));
    return {
      threadPage: page.cost,
      nextPage: nextPage?.cost ?? null,
      /** A first and a next page in each order (calls and read units), for the cost bound of ≤ 2 calls. */
      bySort: sorted,
      notModified: notModified.cost,
      publishedComment: published.cost,
      queuedComment: queued.cost,
      decision: decision.cost,
      queuePage: queuePage.cost,
      stats7Days: stats.cost,
      permalink: permalink.cost,
      siteFeed: siteFeed.cost,
      threadFeed: threadFeed.cost,
    };
  } finally {
    close();
  }
}
