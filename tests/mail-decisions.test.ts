import { describe, expect, it } from "vitest";
import {
  confirmationStep,
  defaultMailSettings,
  digestRecipients,
  flushGathered,
  gatherComment,
  notificationRecipients,
  statementRecipient,
  summarizeQueue,
  type CommentForMail,
  type GatherState,
  type MailSubscription,
  type NotifiedComment,
} from "@comments/api/mail";

const subscription = (overrides: Partial<MailSubscription>): MailSubscription => ({
  id: `s-${Math.random().toString(36).slice(2)}`,
  siteId: "demo",
  threadId: "news/42",
  kind: "thread",
  commentId: null,
  address: "someone@example.org",
  state: "confirmed",
  language: "en",
  ...overrides,
});

const reply = (overrides: Partial<CommentForMail> = {}): CommentForMail => ({
  siteId: "demo",
  threadId: "news/42",
  id: "c-new",
  parentId: "c-parent",
  status: "published",
  authorEmail: "replier@example.org",
  ...overrides,
});

const addresses = (comment: CommentForMail, subscriptions: MailSubscription[]) => notificationRecipients(comment, subscriptions).map((r) => `${r.address} (${r.subscription.kind})`);

describe("who is told about a published comment", () => {
  const parentAuthor = subscription({ kind: "replies", commentId: "c-parent", address: "parent@example.org" });
  const otherCommentAuthor = subscription({ kind: "replies", commentId: "c-other", address: "other@example.org" });
  const follower = subscription({ address: "follower@example.org" });

  it("mails the parent's author (replies) and the thread's followers (thread), and no one else", () => {
    expect(addresses(reply(), [parentAuthor, otherCommentAuthor, follower])).toEqual(["parent@example.org (replies)", "follower@example.org (thread)"]);
  });

  it("tells replies subscribers only about direct replies to their comment; a top-level comment reaches followers only", () => {
    expect(addresses(reply({ parentId: null }), [parentAuthor, follower])).toEqual(["follower@example.org (thread)"]);
  });

  it("never mails the new comment's own author, whatever the case of the address", () => {
    const selfFollower = subscription({ address: "Replier@Example.ORG " });
    expect(addresses(reply(), [selfFollower, follower])).toEqual(["follower@example.org (thread)"]);
    const ownReplies = subscription({ kind: "replies", commentId: "c-new", address: "x@example.org" });
    expect(addresses(reply(), [ownReplies])).toEqual([]);
  });

  it.each(["pending", "rejected", "spam"] as const)("mails nobody for a %s comment", (status) => {
    expect(notificationRecipients(reply({ status }), [parentAuthor, follower])).toEqual([]);
  });

  it("skips unconfirmed and unsubscribed subscriptions and those of other threads and sites", () => {
    const subscriptions = [
      subscription({ address: "unconfirmed@example.org", state: "unconfirmed" }),
      subscription({ address: "gone@example.org", state: "unsubscribed" }),
      subscription({ address: "elsewhere@example.org", threadId: "news/43" }),
      subscription({ address: "othersite@example.org", siteId: "other" }),
      follower,
    ];
    expect(addresses(reply(), subscriptions)).toEqual(["follower@example.org (thread)"]);
  });

  it("sends one mail to an address subscribed both ways, under its replies subscription", () => {
    const both = [subscription({ address: "Parent@example.org" }), parentAuthor];
    expect(addresses(reply(), both)).toEqual(["parent@example.org (replies)"]);
  });
});

describe("gathering bursts: one mail per address per thread per gatherMinutes", () => {
  const t0 = Date.parse("2026-12-02T08:00:00.000Z");
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  const comment = (id: string, seconds: number): NotifiedComment => ({ id, authorName: "A", body: id, createdAt: at(seconds).toISOString() });

  it("mails the first comment at once and gathers the next ones into one mail once the window has passed", () => {
    const first = gatherComment(undefined, comment("c1", 0), at(0), 10);
    expect(first.send?.map((c) => c.id)).toEqual(["c1"]);
    const second = gatherComment(first.state, comment("c2", 30), at(30), 10);
    expect(second.send).toBeNull();
    expect(second.sendAt).toBe(at(600).toISOString());
    const third = gatherComment(second.state, comment("c3", 90), at(90), 10);
    expect(third.send).toBeNull();
    expect(flushGathered(third.state, at(599), 10).send).toBeNull();
    const flushed = flushGathered(third.state, at(600), 10);
    expect(flushed.send?.map((c) => c.id)).toEqual(["c2", "c3"]);
    expect(flushed.state).toEqual({ lastSentAt: at(600).toISOString(), lastSentIds: ["c2", "c3"], waiting: [] });
    expect(flushGathered(flushed.state, at(1200), 10).send).toBeNull();
  });

  it("mails at once again when the last mail is older than the window", () => {
    const first = gatherComment(undefined, comment("c1", 0), at(0), 10);
    expect(gatherComment(first.state, comment("c2", 601), at(601), 10).send?.map((c) => c.id)).toEqual(["c2"]);
  });

  it("does not mail a comment twice when its event is delivered again", () => {
    const first = gatherComment(undefined, comment("c1", 0), at(0), 10);
    const replayed = gatherComment(first.state, comment("c1", 0), at(700), 10);
    expect(replayed.send).toBeNull();
    expect(replayed.state.waiting).toEqual([]);
    const waiting = gatherComment(first.state, comment("c2", 10), at(10), 10);
    expect(gatherComment(waiting.state, comment("c2", 10), at(20), 10).state.waiting).toHaveLength(1);
  });

  it("turns a burst of 50 replies in a minute into at most one mail per subscriber in the window, then one mail with the rest", () => {
    const parent = subscription({ kind: "replies", commentId: "c-parent", address: "parent@example.org" });
    const followers = ["f1@example.org", "f2@example.org", "f3@example.org"].map((address) => subscription({ address }));
    const subscriptions = [parent, ...followers];
    // The replies come from five people, one of them a follower (never mailed about their own replies).
    const authors = ["a@example.org", "b@example.org", "f2@example.org", "c@example.org", "d@example.org"];
    const states = new Map<string, GatherState>();
    const mails: Array<{ address: string; at: number; ids: string[] }> = [];
    const gatherMinutes = defaultMailSettings.gatherMinutes;
    const deliver = (address: string, now: Date, sent: NotifiedComment[] | null) => {
      if (sent) mails.push({ address, at: now.getTime(), ids: sent.map((c) => c.id) });
    };

    for (let i = 0; i < 50; i++) {
      const now = at(i * 1.2);
      const published = reply({ id: `r${i}`, authorEmail: authors[i % authors.length]!, status: "published" });
      for (const { address } of notificationRecipients(published, subscriptions)) {
        const step = gatherComment(states.get(address), comment(`r${i}`, i * 1.2), now, gatherMinutes);
        states.set(address, step.state);
        deliver(address, now, step.send);
      }
      // The timer checks every second as well; nothing is due inside the window.
      for (const [address, state] of states) deliver(address, now, flushGathered(state, now, gatherMinutes).send);
    }

    const windowEnd = t0 + gatherMinutes * 60_000;
    for (const address of ["parent@example.org", ...followers.map((f) => f.address)]) {
      expect(mails.filter((mail) => mail.address === address && mail.at < windowEnd)).toHaveLength(1);
    }

    const later = new Date(windowEnd);
    for (const [address, state] of states) {
      const step = flushGathered(state, later, gatherMinutes);
      states.set(address, step.state);
      deliver(address, later, step.send);
    }
    const all = Array.from({ length: 50 }, (_, i) => `r${i}`);
    const notOwn = all.filter((_, i) => authors[i % authors.length] !== "f2@example.org");
    const received = (address: string) => mails.filter((mail) => mail.address === address).flatMap((mail) => mail.ids);
    expect(received("parent@example.org")).toEqual(all);
    expect(received("f1@example.org")).toEqual(all);
    expect(received("f2@example.org")).toEqual(notOwn);
    expect(mails.filter((mail) => mail.address === "f1@example.org")).toHaveLength(2);
  });
});

describe("double opt-in", () => {
  const now = new Date("2026-12-02T12:00:00.000Z");
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

  it("needs no confirmation mail for a signed-in reader whose email the host site verified", () => {
    expect(confirmationStep({ emailVerified: true, sentAt: [hoursAgo(1), hoursAgo(2), hoursAgo(3)], now })).toEqual({ action: "confirmed" });
  });

  it("sends at most 3 confirmation mails to one address in 24 hours, and says when the next one may go", () => {
    expect(confirmationStep({ emailVerified: false, sentAt: [], now })).toEqual({ action: "send" });
    expect(confirmationStep({ emailVerified: false, sentAt: [hoursAgo(1), hoursAgo(5)], now })).toEqual({ action: "send" });
    expect(confirmationStep({ emailVerified: false, sentAt: [hoursAgo(1), hoursAgo(5), hoursAgo(20)], now })).toEqual({ action: "capped", retryAt: "2026-12-02T16:00:00.000Z" });
    expect(confirmationStep({ emailVerified: false, sentAt: [hoursAgo(1), hoursAgo(5), hoursAgo(25), hoursAgo(30)], now })).toEqual({ action: "send" });
  });
});

describe("statement of reasons", () => {
  const on = { decisionEmails: true };

  it("goes to the author of a rejected comment who gave an email (on by default)", () => {
    expect(defaultMailSettings.decisionEmails).toBe(true);
    expect(statementRecipient({ from: "pending", to: "rejected", authorEmail: " ann@example.org " }, defaultMailSettings)).toBe("ann@example.org");
    expect(statementRecipient({ from: "published", to: "rejected", authorEmail: "ann@example.org" }, on)).toBe("ann@example.org");
  });

  it("is never sent for spam, an approval, an author without email, or a site that turned it off", () => {
    expect(statementRecipient({ from: "pending", to: "spam", authorEmail: "ann@example.org" }, on)).toBeNull();
    expect(statementRecipient({ from: "pending", to: "published", authorEmail: "ann@example.org" }, on)).toBeNull();
    expect(statementRecipient({ from: "pending", to: "rejected", authorEmail: null }, on)).toBeNull();
    expect(statementRecipient({ from: "pending", to: "rejected", authorEmail: "  " }, on)).toBeNull();
    expect(statementRecipient({ from: "rejected", to: "rejected", authorEmail: "ann@example.org" }, on)).toBeNull();
    expect(statementRecipient({ from: "pending", to: "rejected", authorEmail: "ann@example.org" }, { decisionEmails: false })).toBeNull();
  });
});

describe("moderator digest", () => {
  const queue = summarizeQueue([
    { queuedAt: "2026-12-02T07:00:00.000Z", createdAt: "2026-12-02T06:59:00.000Z", reasons: ["captcha_low_score", "too_many_links"] },
    { queuedAt: null, createdAt: "2026-12-02T05:30:00.000Z", reasons: ["captcha_low_score"] },
    { queuedAt: "2026-12-02T08:00:00.000Z", createdAt: "2026-12-02T08:00:00.000Z", reasons: ["reader_flags", "reader_flags"] },
  ]);
  const settings = { emails: ["desk@news.example", "night@news.example"], every: "hour" as const };

  it("sums up the queue: size, oldest waiting, counts by reason", () => {
    expect(queue).toEqual({ size: 3, oldestQueuedAt: "2026-12-02T05:30:00.000Z", countsByReason: { captcha_low_score: 2, too_many_links: 1, reader_flags: 1 } });
  });

  it("goes to the site's moderators once per period while the queue is not empty", () => {
    const now = new Date("2026-12-02T09:02:00.000Z");
    expect(digestRecipients({ settings, summary: queue, lastSentAt: null, now })).toEqual(settings.emails);
    expect(digestRecipients({ settings, summary: queue, lastSentAt: "2026-12-02T08:00:05.000Z", now })).toEqual(settings.emails);
    expect(digestRecipients({ settings, summary: queue, lastSentAt: "2026-12-02T09:00:01.000Z", now })).toBeNull();
    const daily = { ...settings, every: "day" as const };
    expect(digestRecipients({ settings: daily, summary: queue, lastSentAt: "2026-12-02T00:00:03.000Z", now })).toBeNull();
    expect(digestRecipients({ settings: daily, summary: queue, lastSentAt: "2026-12-01T00:00:03.000Z", now })).toEqual(settings.emails);
  });

  it("is not sent for an empty queue or a site without a digest", () => {
    const now = new Date("2026-12-02T09:02:00.000Z");
    expect(digestRecipients({ settings, summary: summarizeQueue([]), lastSentAt: null, now })).toBeNull();
    expect(digestRecipients({ settings: null, summary: queue, lastSentAt: null, now })).toBeNull();
    expect(digestRecipients({ settings: { emails: [], every: "day" }, summary: queue, lastSentAt: null, now })).toBeNull();
  });
});
