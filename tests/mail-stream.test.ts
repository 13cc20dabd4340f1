import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marshall } from "@aws-sdk/util-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredComment } from "@comments/core";
import { createRuntime, createHasher, type DynamoStreamEvent } from "@comments/api";
import { createMailServices, devMailbox, mailEventOf, mailStreamHandler, type DevMailbox, type MailServices } from "@comments/api/mail";
import { commentToItem, type Item, type Store } from "@comments/store";
import { asModerator, commentBody, freshStore, postJson, site, testApp, testIpHashKey } from "./support/harness.ts";

/**
 * Mail on AWS: the same worker driven by table stream records (shaped as Lambda delivers them) instead of the
 * local queue. The app runs without mail events, as on Lambda; the test replays the table's writes as records.
 */

const base = {
  siteId: "demo",
  threadId: "t/1",
  id: "01JGZ0000000000000000000A1",
  parentId: null,
  authorName: "Ann",
  authorEmail: null,
  authorUrl: null,
  authorHash: "a".repeat(32),
  ipHash: "b".repeat(32),
  body: "Hello",
  bodyHtml: "<p>Hello</p>",
  createdAt: "2026-12-01T10:00:00.000Z",
  reasons: [],
  details: [],
  captchaScore: 0.9,
  flags: 0,
  flagReasons: {},
  queuedAt: null,
} satisfies Omit<StoredComment, "status">;
const item = (status: StoredComment["status"], extra: Record<string, unknown> = {}): Item => ({ ...commentToItem({ ...base, status }), ...extra });

describe("which stream records call for mail", () => {
  it("a comment that becomes published (inserted, or changed into published), and a new rejection", () => {
    expect(mailEventOf(undefined, item("published"))?.kind).toBe("commentPublished");
    expect(mailEventOf(item("pending"), item("published"))?.kind).toBe("commentPublished");
    expect(mailEventOf(item("published"), item("published", { flags: 3 }))).toBeNull();
    expect(mailEventOf(undefined, item("pending"))).toBeNull();
    expect(mailEventOf(undefined, item("spam"))).toBeNull();
    expect(mailEventOf(item("pending"), item("spam"))).toBeNull();
    expect(mailEventOf(item("pending"), item("rejected"))).toMatchObject({ kind: "commentDecided", fromStatus: "pending" });
    expect(mailEventOf(undefined, item("rejected"))).toMatchObject({ kind: "commentDecided", fromStatus: "published" });
    expect(mailEventOf(item("rejected"), item("rejected"))).toBeNull();
    expect(mailEventOf(undefined, item("published", { importedAt: "2026-12-01T00:00:00.000Z" }))).toBeNull();
    expect(mailEventOf(item("published"), undefined)).toBeNull();
  });
});

describe("the mail stream consumer on a real table", () => {
  let store: Store;
  let tableItems: () => Promise<Item[]>;
  let mailbox: DevMailbox;
  let mail: MailServices;
  let app: Awaited<ReturnType<typeof testApp>>["app"];
  let seen = new Set<string>();

  /** Every table write since the last call, as INSERT/MODIFY records (items compared by their JSON). */
  async function newRecords(): Promise<DynamoStreamEvent> {
    const records = [];
    for (const current of await tableItems()) {
      const json = JSON.stringify(current);
      if (seen.has(json)) continue;
      seen.add(json);
      records.push({ eventID: String(records.length), eventName: "INSERT" as const, dynamodb: { NewImage: marshall(current, { removeUndefinedValues: true }) } });
    }
    return { Records: records };
  }

  beforeAll(async () => {
    const fresh = await freshStore();
    store = fresh.store;
    tableItems = async () => (await fresh.clients.documentClient.send(new ScanCommand({ TableName: fresh.tableName, ConsistentRead: true }))).Items ?? [];
    ({ app } = await testApp({ store, sites: [site({ id: "demo", name: "Kabul Daily" })] }));
    mailbox = devMailbox();
    const runtime = createRuntime({ env: {}, sites: [site({ id: "demo", name: "Kabul Daily" })], ipHashKey: testIpHashKey, store });
    mail = createMailServices({
      runtime: "aws",
      env: { MAIL_FROM: "comments@news.example" },
      store,
      sites: runtime.sites,
      ipHashKey: testIpHashKey,
      publicUrl: "https://comments.news.example",
      reviewUrl: "https://comments.news.example/moderate",
      logger: runtime.logger,
      mailer: mailbox,
    });
    seen = new Set((await tableItems()).map((i) => JSON.stringify(i)));
  }, 60_000);
  afterAll(() => undefined);

  it("mails the confirmation from the subscription's insert and the notification from the reply's", async () => {
    const handler = mailStreamHandler(mail.worker, { error: () => undefined });
    const first = await postJson(app, "/v1/sites/demo/threads/t%2F1/comments", commentBody({ author: { name: "Ann", email: "ann@example.org" }, notify: "replies" }));
    expect(first.status).toBe(201);
    const annId = ((await first.json()) as { comment: { id: string } }).comment.id;
    expect(mailbox.list()).toHaveLength(0);

    await handler(await newRecords());
    const [confirmation] = mailbox.list();
    expect(confirmation?.message.kind).toBe("confirmation");
    expect(confirmation?.message.to).toBe("ann@example.org");
    const confirmUrl = new URL(confirmation!.message.text.match(/https:\/\/\S+subscriptions\/confirm\?token=\S+/)![0]);
    const confirmed = await app.request(`${confirmUrl.pathname}${confirmUrl.search}`);
    expect(confirmed.status).toBe(200);

    const reply = await postJson(app, "/v1/sites/demo/threads/t%2F1/comments", commentBody({ author: { name: "Bob" }, body: "A reply.", parentId: annId }));
    expect(reply.status).toBe(201);
    await handler(await newRecords());
    expect(mailbox.list().map((kept) => kept.message.kind)).toEqual(["notification", "confirmation"]);
    expect(mailbox.list()[0]!.message.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("never mails an address that bounced (the feedback handler's suppression)", async () => {
    await store.suppressAddress(createHasher(testIpHashKey).mailAddress("Carol@Example.com"), "bounce", new Date());
    const handler = mailStreamHandler(mail.worker, { error: () => undefined });
    const before = mailbox.list().length;
    const res = await postJson(app, "/v1/sites/demo/threads/t%2F2/comments", commentBody({ author: { name: "Carol", email: "carol@example.com" }, notify: "thread" }));
    expect(res.status).toBe(201);
    await handler(await newRecords());
    expect(mailbox.list()).toHaveLength(before);
    expect(mail.sender.counts().suppressed).toBe(1);
  });

  it("mails the statement of reasons from a rejection's record", async () => {
    const handler = mailStreamHandler(mail.worker, { error: () => undefined });
    const res = await postJson(app, "/v1/sites/demo/threads/t%2F3/comments", commentBody({ author: { name: "Dan", email: "dan@example.com" }, captchaToken: "test:0.5" }));
    expect(res.status).toBe(202);
    const id = ((await res.json()) as { comment: { id: string } }).comment.id;
    await handler(await newRecords());
    const before = mailbox.list().length;
    const decided = await postJson(app, `/v1/mod/sites/demo/threads/t%2F3/comments/${id}/decision`, { action: "reject" }, asModerator());
    expect(decided.status).toBe(200);
    await handler(await newRecords());
    expect(mailbox.list()).toHaveLength(before + 1);
    expect(mailbox.list()[0]!.message).toMatchObject({ kind: "statement", to: "dan@example.com" });
  });
});

