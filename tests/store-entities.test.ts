import { describe, expect, it } from "vitest";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { newModeratorKey } from "@comments/api";
import { asModerator, commentBody, freshStore, postJson, site, testApp } from "./support/harness.ts";

const thread = "/v1/sites/demo/threads/entities/comments";

describe("items in the table", () => {
  it("every item the store writes carries its kind (type) and schema version (v)", async () => {
    const { store, tableName, clients } = await freshStore();
    const { app } = await testApp({ store, sites: [site({ moderation: { flagThreshold: 1 } })] });
    const published = await (await postJson(app, thread, commentBody({ body: "A published comment." }), { "idempotency-key": "entities-1" })).json();
    await postJson(app, thread, commentBody({ body: "A reply.", parentId: published.comment.id }));
    await postJson(app, thread, commentBody({ body: "A queued comment.", captchaToken: "test:0.5" }));
    await postJson(app, `${thread}/${published.comment.id}/flags`, { reason: "spam" });
    const queued = (await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json()).items[0];
    await postJson(app, `/v1/mod/sites/demo/threads/entities/comments/${queued.id}/decision`, { action: "reject" }, asModerator());
    await postJson(app, "/v1/mod/sites/demo/bans", { threadId: "entities", commentId: published.comment.id, reason: "test", days: 1 }, asModerator());
    await store.putModeratorKey(newModeratorKey("reviewer", ["demo"], new Date()).record);

    const items = (await clients.documentClient.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const kinds = new Set(items.map((item) => item.type));
    expect(kinds).toEqual(
      new Set(["comment", "thread", "author", "flag", "audit", "ban", "banLookup", "idempotency", "rateWindow", "duplicate", "moderatorKey"]),
    );
    expect(items.filter((item) => item.v !== 1).map((item) => `${item.pk} ${item.sk}`)).toEqual([]);
  });
});
