import { describe, expect, it } from "vitest";
import { isAppError } from "../src/errors.ts";
import { findWords, moderate, type PhaseContext } from "../src/pipeline/index.ts";
import { renderBody } from "../src/render.ts";
import { parseSitesConfig, type SiteConfigInput } from "../src/sites.ts";

function context(overrides: Partial<PhaseContext> = {}, site: Partial<SiteConfigInput> = {}): PhaseContext {
  const [config] = parseSitesConfig({ sites: [{ id: "s", origins: ["https://a.example"], ...site }] }, { env: {} });
  const body = overrides.body ?? "A fine comment";
  return {
    kind: "create",
    site: config!,
    body,
    bodyHtml: renderBody(body),
    website: undefined,
    captcha: { kind: "passed", score: 0.9 },
    authorHasPublished: true,
    ...overrides,
  };
}

describe("moderation phases", () => {
  it("publishes a clear comment with a high captcha score", async () => {
    expect(await moderate(context())).toEqual({ status: "published", reasons: [], details: [], languageReasons: [] });
  });

  it("queues a comment whose captcha score is below reviewBelow", async () => {
    const decision = await moderate(context({ captcha: { kind: "passed", score: 0.52 } }));
    expect(decision).toEqual({ status: "pending", reasons: ["captcha_low_score"], details: ["captcha score 0.52 below 0.7"], languageReasons: [] });
  });

  it("publishes at exactly reviewBelow and queues at exactly minScore", async () => {
    expect((await moderate(context({ captcha: { kind: "passed", score: 0.7 } }))).status).toBe("published");
    expect((await moderate(context({ captcha: { kind: "passed", score: 0.3 } }))).status).toBe("pending");
  });

  it("refuses a score below minScore with the original message", async () => {
    const error = await moderate(context({ captcha: { kind: "passed", score: 0.29 } })).catch((e: unknown) => e);
    expect(isAppError(error, "captcha_score_too_low")).toBe(true);
    expect((error as Error).message).toBe("CAPTCHA user score failed. Please contact us!");
  });

  it("queues with captcha_unavailable when the provider could not be asked", async () => {
    const decision = await moderate(context({ captcha: { kind: "unavailable", detail: "timeout" } }));
    expect(decision.status).toBe("pending");
    expect(decision.reasons).toEqual(["captcha_unavailable"]);
  });

  it("passes a provider that reports no score", async () => {
    expect((await moderate(context({ captcha: { kind: "passed", score: null } }))).status).toBe("published");
  });

  it("keeps a comment with a filled honeypot as spam, even when other phases would queue it", async () => {
    const decision = await moderate(context({ website: "http://spam.example", captcha: { kind: "passed", score: 0.5 } }));
    expect(decision).toMatchObject({ status: "spam", reasons: ["honeypot"] });
  });

  it("ignores a honeypot of whitespace", async () => {
    expect((await moderate(context({ website: "  " }))).status).toBe("published");
  });

  it("treats banned words as spam and suspect words as a reason to queue", async () => {
    const site = { moderation: { bannedWords: ["viagra"], suspectWords: ["casino"] } };
    expect(await moderate(context({ body: "Cheap VIAGRA here" }, site))).toMatchObject({ status: "spam", reasons: ["banned_words"] });
    expect(await moderate(context({ body: "The Casino opened" }, site))).toMatchObject({
      status: "pending",
      reasons: ["suspect_words"],
      details: ["suspect word: casino"],
    });
  });

  it("matches words whole, not inside other words", () => {
    expect(findWords("casinos and the casino", ["casino"])).toEqual(["casino"]);
    expect(findWords("casinos only", ["casino"])).toEqual([]);
    expect(findWords("قمار خانه", ["قمار"])).toEqual(["قمار"]);
    expect(findWords("a.b+c", ["b+c"])).toEqual(["b+c"]);
  });

  it("queues a comment with more links than maxLinks", async () => {
    const body = "https://a.example https://b.example https://c.example";
    expect(await moderate(context({ body, bodyHtml: renderBody(body) }))).toMatchObject({
      status: "pending",
      reasons: ["too_many_links"],
      details: ["3 links (more than 2)"],
    });
    const two = "https://a.example https://b.example";
    expect((await moderate(context({ body: two, bodyHtml: renderBody(two) }))).status).toBe("published");
  });

  it("queues an author's first comment when the site pre-moderates first comments", async () => {
    const site = { moderation: { premoderateFirstComment: true } };
    expect(await moderate(context({ authorHasPublished: false }, site))).toMatchObject({ status: "pending", reasons: ["first_comment"] });
    expect((await moderate(context({ authorHasPublished: true }, site))).status).toBe("published");
  });

  it("collects every queueing reason in phase order", async () => {
    const body = "casino https://a.example https://b.example https://c.example";
    const decision = await moderate(
      context({ body, bodyHtml: renderBody(body), captcha: { kind: "passed", score: 0.5 } }, { moderation: { suspectWords: ["casino"] } }),
    );
    expect(decision.reasons).toEqual(["captcha_low_score", "suspect_words", "too_many_links"]);
  });
});

describe("outside phases", () => {
  it("are asked after the built-in phases, and not at all for a comment that is already spam", async () => {
    const asked: string[] = [];
    const outside = async () => {
      asked.push("outside");
      return { status: "pending" as const, reason: "external_hook" as const, detail: "held" };
    };
    expect(await moderate(context(), undefined, [outside])).toMatchObject({ status: "pending", reasons: ["external_hook"] });
    expect(asked).toEqual(["outside"]);
    expect(await moderate(context({ website: "http://bot.example" }), undefined, [outside])).toMatchObject({ status: "spam", reasons: ["honeypot"] });
    expect(asked).toEqual(["outside"]);
  });
});
