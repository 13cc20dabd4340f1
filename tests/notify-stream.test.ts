import { afterEach, describe, expect, it, vi } from "vitest";
import { marshall } from "@aws-sdk/util-dynamodb";
import { parseSitesConfig, type StoredComment } from "@comments/core";
import { verifyWebhook, webhookQueueListener } from "@comments/api";
import { enteredQueue, streamNotifier, type DynamoStreamEvent, type DynamoStreamRecord } from "@comments/api";
import { commentToItem } from "@comments/store";
import { threadKey } from "@comments/store";
import { site } from "./support/harness.ts";
import { startReceiver, type HttpReceiver } from "./support/http-receiver.ts";

const signingKey = "stream-signing-key-0123456789";
const arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/comments/stream/2026-01-01T00:00:00.000";

function comment(overrides: Partial<StoredComment> = {}): StoredComment {
  return {
    siteId: "demo",
    threadId: "world/kabul",
    id: "01JGZ0000000000000000000A1",
    parentId: null,
    authorName: "Ann Reader",
    authorEmail: "ann@example.com",
    authorUrl: null,
    authorHash: "a".repeat(64),
    ipHash: "b".repeat(64),
    body: "Is this true?",
    bodyHtml: "<p>Is this true?</p>",
    createdAt: "2026-01-01T10:00:00.000Z",
    status: "pending",
    reasons: ["captcha_low_score"],
    details: ["captcha score 0.5 below 0.7"],
    captchaScore: 0.5,
    flags: 0,
    flagReasons: {},
    queuedAt: "2026-01-01T10:00:00.000Z",
    ...overrides,
  };
}

/** A stream record shaped like the ones Lambda receives from a NEW_AND_OLD_IMAGES stream. */
function record(eventName: "INSERT" | "MODIFY" | "REMOVE", oldItem: Record<string, unknown> | undefined, newItem: Record<string, unknown> | undefined, n: number): DynamoStreamRecord {
  const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true, convertEmptyValues: false });
  const keyOf = (newItem ?? oldItem)!;
  return {
    eventID: `event-${n}`,
    eventName,
    eventSourceARN: arn,
    dynamodb: {
      Keys: marshall({ pk: keyOf.pk, sk: keyOf.sk }),
      ...(newItem ? { NewImage: image(newItem) } : {}),
      ...(oldItem ? { OldImage: image(oldItem) } : {}),
      SequenceNumber: String(1000 + n),
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  };
}

let hook: HttpReceiver | undefined;
afterEach(async () => {
  await hook?.close();
  hook = undefined;
  vi.unstubAllEnvs();
});

describe("stream consumer: which writes mean 'entered the queue'", () => {
  it("counts a new image with gsi1pk whose old image is absent or has none", () => {
    const queued = commentToItem(comment());
    const published = commentToItem(comment({ status: "published", reasons: [], details: [], queuedAt: null }));
    const flagged = commentToItem(comment({ status: "published", reasons: ["reader_flags"], flags: 3, queuedAt: "2026-01-01T11:00:00.000Z" }));
    expect(enteredQueue(undefined, queued)).toBe(true);
    expect(enteredQueue(published, flagged)).toBe(true);
    expect(enteredQueue(undefined, published)).toBe(false);
    expect(enteredQueue(flagged, { ...flagged, flags: 4 })).toBe(false);
    expect(enteredQueue(queued, published)).toBe(false);
    expect(enteredQueue(queued, undefined)).toBe(false);
    expect(enteredQueue(undefined, { ...threadKey({ siteId: "demo", threadId: "t" }), type: "thread", gsi1pk: "Q#demo" })).toBe(false);
  });

  it("does not page moderators for imported comments, but does when one is later flagged into the queue", () => {
    const imported = { ...commentToItem(comment()), importedAt: "2026-01-01T00:00:00.000Z" };
    expect(enteredQueue(undefined, imported)).toBe(false);
    const importedPublished = { ...commentToItem(comment({ status: "published", reasons: [], details: [], queuedAt: null })), importedAt: "2026-01-01T00:00:00.000Z" };
    const flagged = { ...commentToItem(comment({ status: "published", reasons: ["reader_flags"], flags: 3, queuedAt: "2026-01-02T00:00:00.000Z" })), importedAt: "2026-01-01T00:00:00.000Z" };
    expect(enteredQueue(importedPublished, flagged)).toBe(true);
  });
});

describe("stream consumer: notifications", () => {
  it("sends one signed webhook per comment that entered the queue and none for spam, decisions or removals", async () => {
    hook = await startReceiver();
    const sites = parseSitesConfig({ sites: [site({ notify: { webhooks: [hook.url] } })] }, { env: {} });
    const errors: string[] = [];
    const notify = streamNotifier({ sites, listener: webhookQueueListener({ signingKey, background: false }), logger: { error: (m) => errors.push(m) } });

    const pending = comment();
    const publishedBefore = comment({ id: "01JGZ0000000000000000000B2", status: "published", reasons: [], details: [], captchaScore: 0.9, queuedAt: null });
    const flagged = { ...publishedBefore, reasons: ["reader_flags"], details: ["flagged by 3 or more readers"], flags: 3, flagReasons: { spam: 2, abuse: 1 }, queuedAt: "2026-01-01T12:00:00.000Z" };
    const spam = comment({ id: "01JGZ0000000000000000000C3", status: "spam", reasons: ["banned_words"], details: ["banned word: casino"], queuedAt: null });
    const approved = { ...pending, status: "published" as const, queuedAt: null, decidedBy: "alice" };
    const otherSite = comment({ id: "01JGZ0000000000000000000D4", siteId: "gone" });

    const event: DynamoStreamEvent = {
      Records: [
        record("INSERT", undefined, { ...threadKey({ siteId: "demo", threadId: "world/kabul" }), type: "thread", commentCount: 0, version: 1 }, 1),
        record("INSERT", undefined, commentToItem(pending), 2),
        record("INSERT", undefined, commentToItem(publishedBefore), 3),
        record("MODIFY", commentToItem(publishedBefore), commentToItem(flagged), 4),
        record("MODIFY", commentToItem(flagged), commentToItem({ ...flagged, flags: 4, flagReasons: { spam: 3, abuse: 1 } }), 5),
        record("INSERT", undefined, commentToItem(spam), 6),
        record("REMOVE", commentToItem(pending), undefined, 7),
        record("INSERT", undefined, { ...commentToItem(approved), decidedAt: "2026-01-01T13:00:00.000Z" }, 8),
        record("INSERT", undefined, commentToItem(otherSite), 9),
      ],
    };
    expect(await notify(event)).toEqual({ notified: 2 });

    expect(hook.requests).toHaveLength(2);
    for (const request of hook.requests) {
      expect(verifyWebhook({ key: signingKey, body: request.body, signature: request.headers["x-comments-signature"] as string, timestamp: request.headers["x-comments-timestamp"] as string })).toBe(true);
      expect(request.body).not.toContain("ann@example.com");
    }
    const messages = hook.requests.map((r) => JSON.parse(r.body)).sort((a, b) => a.comment.id.localeCompare(b.comment.id));
    expect(messages[0].comment).toMatchObject({ id: pending.id, threadId: "world/kabul", status: "pending", reasons: ["captcha_low_score"] });
    expect(messages[1].comment).toMatchObject({ id: publishedBefore.id, status: "published", flags: 3, flagReasons: { spam: 2, abuse: 1 } });
    expect(messages[1].text).toContain("flagged 3 times: spam (2), abuse (1)");
    expect(errors).toEqual(["stream record for an unknown site"]);
  });

  it("skips an unreadable record and still notifies for the others", async () => {
    hook = await startReceiver();
    const sites = parseSitesConfig({ sites: [site({ notify: { webhooks: [hook.url] } })] }, { env: {} });
    const errors: string[] = [];
    const notify = streamNotifier({ sites, listener: webhookQueueListener({ signingKey }), logger: { error: (m) => errors.push(m) } });
    const broken: DynamoStreamRecord = { eventID: "bad", eventName: "INSERT", dynamodb: { NewImage: { pk: { BOGUS: "x" } as never } } };
    expect(await notify({ Records: [broken, record("INSERT", undefined, commentToItem(comment()), 1)] })).toEqual({ notified: 1 });
    expect(hook.requests).toHaveLength(1);
    expect(errors).toEqual(["unreadable stream record"]);
  });

  it("the Lambda handler reads SITES_JSON from the environment and the signing key from its SST link", async () => {
    hook = await startReceiver();
    vi.stubEnv("SITES_JSON", JSON.stringify({ sites: [{ id: "demo", origins: ["https://news.example"], captcha: { provider: "recaptcha-v3", secretEnv: "NOT_HERE" }, notify: { webhooks: [hook.url] } }] }));
    vi.stubEnv("SST_RESOURCE_WebhookSigningKey", JSON.stringify({ type: "sst.sst.Secret", value: signingKey }));
    vi.stubEnv("REVIEW_URL", "https://mod.example/moderate");
    const { handler } = await import("../functions/notify.ts");
    expect(await handler({ Records: [record("INSERT", undefined, commentToItem(comment()), 1)] })).toEqual({ notified: 1 });
    const [request] = hook.requests;
    expect(verifyWebhook({ key: signingKey, body: request!.body, signature: request!.headers["x-comments-signature"] as string, timestamp: request!.headers["x-comments-timestamp"] as string })).toBe(true);
    expect(JSON.parse(request!.body).reviewUrl).toBe("https://mod.example/moderate");
  });
});
