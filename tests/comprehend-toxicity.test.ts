import { afterEach, describe, expect, it } from "vitest";
import { parseSitesConfig, type SiteConfigInput } from "@comments/core";
import { comprehendSegmentLimits, splitIntoSegments } from "@comments/api";
import { asModerator, commentBody, postJson, site, testApp } from "./support/harness.ts";
import { startReceiver, type HttpReceiver, type ReceivedRequest, type ReceiverAnswer } from "./support/http-receiver.ts";

const threadPath = "/v1/sites/demo/threads/news%2F42/comments";
let comprehend: HttpReceiver | undefined;
let releaseHeld: () => void = () => undefined;
afterEach(async () => {
  releaseHeld();
  await comprehend?.close();
  comprehend = undefined;
});

/** What a DetectToxicContent request carries. */
interface ToxicityRequest {
  TextSegments: Array<{ Text: string }>;
  LanguageCode: string;
}
const requestOf = (request: ReceivedRequest) => JSON.parse(request.body) as ToxicityRequest;

const amzJson = { "content-type": "application/x-amz-json-1.1" };

/** Comprehend's answer: one result per segment, each with its overall toxicity and label scores. */
function results(...segments: Array<{ toxicity: number; labels?: Record<string, number> }>): ReceiverAnswer {
  const ResultList = segments.map(({ toxicity, labels = {} }) => ({
    Labels: Object.entries(labels).map(([Name, Score]) => ({ Name, Score })),
    Toxicity: toxicity,
  }));
  return { status: 200, headers: amzJson, body: JSON.stringify({ ResultList }) };
}

/** An AWS JSON 1.1 error, as Comprehend sends it. */
const awsError = (status: number, type: string, message: string): ReceiverAnswer => ({
  status,
  headers: amzJson,
  body: JSON.stringify({ __type: type, message }),
});

type Toxicity = NonNullable<NonNullable<SiteConfigInput["moderation"]>["toxicity"]>;

/**
 * The real app with a site whose toxicity check points at a real local HTTP server speaking Comprehend's JSON
 * protocol; `answer` gets each request (and its 0-based index).
 */
async function appWithComprehend(answer: (request: ToxicityRequest, index: number) => ReceiverAnswer, toxicity: Partial<Toxicity> = {}, overrides: Partial<SiteConfigInput> = {}) {
  comprehend = await startReceiver((request, index) => answer(requestOf(request), index));
  const logged: Array<Record<string, unknown>> = [];
  const { app } = await testApp({
    sites: [site({ ...overrides, moderation: { toxicity: { provider: "comprehend", endpoint: comprehend.url, ...toxicity } } })],
    logger: { error: (message, details) => logged.push({ message, ...details }) },
  });
  return { app, logged };
}

async function queueItem(app: Awaited<ReturnType<typeof appWithComprehend>>["app"], id: string) {
  const queue = await (await app.request("/v1/mod/sites/demo/queue", { headers: asModerator() })).json();
  return queue.items.find((item: { id: string }) => item.id === id);
}

describe("toxicity check with Amazon Comprehend", () => {
  it("queues a comment whose toxicity reaches the threshold and shows the scores to moderators", async () => {
    const { app } = await appWithComprehend(() =>
      results({ toxicity: 0.83, labels: { INSULT: 0.91, PROFANITY: 0.4, HATE_SPEECH: 0.05, GRAPHIC: 0.01 } }),
    );
    const res = await postJson(app, threadPath, commentBody({ body: "You are an idiot." }));
    expect(res.status).toBe(202);
    const { comment, message } = await res.json();
    expect(comment.status).toBe("pending");
    expect(message).toBe("Your comment is awaiting moderation.");
    expect(await queueItem(app, comment.id)).toMatchObject({
      status: "pending",
      reasons: ["toxicity"],
      details: ["toxicity 0.83 (INSULT 0.91, PROFANITY 0.40)"],
    });
    const thread = await (await app.request(threadPath)).json();
    expect(thread.comments).toEqual([]);
  });

  it("publishes a comment scored below the threshold", async () => {
    const { app } = await appWithComprehend(() => results({ toxicity: 0.12, labels: { INSULT: 0.2 } }));
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(201);
    expect(comprehend!.requests).toHaveLength(1);
  });

  it("queues a comment scored exactly at the threshold", async () => {
    const { app } = await appWithComprehend(() => results({ toxicity: 0.5 }), { threshold: 0.5 });
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({ reasons: ["toxicity"], details: ["toxicity 0.50"] });
  });

  it("sends only the comment's text, as a signed DetectToxicContent call, never the email, name or IP", async () => {
    const { app } = await appWithComprehend(() => results({ toxicity: 0.01 }));
    const body = "Hello *world*, see https://example.org";
    const res = await postJson(app, threadPath, commentBody({ author: { name: "Ann Example", email: "ann@example.com", url: "https://ann.example" }, body }));
    expect(res.status).toBe(201);
    const [request] = comprehend!.requests;
    expect(request).toMatchObject({ method: "POST", path: "/" });
    expect(request!.headers["x-amz-target"]).toBe("Comprehend_20171127.DetectToxicContent");
    expect(request!.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/comprehend\/aws4_request/);
    expect(JSON.parse(request!.body)).toEqual({ TextSegments: [{ Text: body }], LanguageCode: "en" });
    for (const secret of ["ann@example.com", "Ann Example", "ann.example", "203.0.113.7"]) expect(request!.body).not.toContain(secret);
  });

  it("splits a long comment into segments of at most 1000 bytes and judges it by its most toxic segment", async () => {
    const scores = [0.1, 0.9, 0.2];
    const { app } = await appWithComprehend(({ TextSegments }) =>
      results(...TextSegments.map((_, i) => ({ toxicity: scores[i] ?? 0, labels: { INSULT: scores[i] ?? 0, PROFANITY: i === 2 ? 0.6 : 0 } }))),
    );
    const words = Array.from({ length: 300 }, (_, i) => `word${String(i).padStart(3, "0")}`); // 2399 bytes
    const res = await postJson(app, threadPath, commentBody({ body: words.join(" ") }));
    expect(res.status).toBe(202);
    const { TextSegments } = requestOf(comprehend!.requests[0]!);
    expect(TextSegments).toHaveLength(3);
    for (const segment of TextSegments) expect(Buffer.byteLength(segment.Text)).toBeLessThanOrEqual(1000);
    expect(TextSegments.map((s) => s.Text).join(" ")).toBe(words.join(" "));
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({ details: ["toxicity 0.90 (INSULT 0.90, PROFANITY 0.60)"] });
  });

  it("adds its finding next to the built-in ones", async () => {
    const { app } = await appWithComprehend(() => results({ toxicity: 0.95, labels: { VIOLENCE_OR_THREAT: 0.97 } }));
    const res = await postJson(app, threadPath, commentBody({ captchaToken: "test:0.5" }));
    expect(res.status).toBe(202);
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({
      reasons: ["captcha_low_score", "toxicity"],
      details: ["captcha score 0.5 below 0.7", "toxicity 0.95 (VIOLENCE_OR_THREAT 0.97)"],
    });
  });

  // A generous bound, so the SDK's one retry (with its backoff) always fits: these cases are about the answer.
  const failures: Array<[string, () => ReceiverAnswer, string, number]> = [
    ["throttles the call", () => awsError(400, "ThrottlingException", "Rate exceeded"), "ThrottlingException, HTTP 400", 2],
    ["answers 500", () => awsError(500, "InternalServerException", "Internal error"), "InternalServerException, HTTP 500", 2],
    ["answers 500 with a body that is not JSON", () => ({ status: 500, headers: { "content-type": "text/html" }, body: "<html>oops</html>" }), "HTTP 500, answer is not JSON", 2],
    ["refuses the caller's permissions", () => awsError(400, "AccessDeniedException", "not authorized to perform comprehend:DetectToxicContent"), "AccessDeniedException, HTTP 400", 1],
    ["answers without results", () => ({ status: 200, headers: amzJson, body: "{}" }), "unexpected answer", 1],
  ];
  for (const [what, answer, cause, calls] of failures) {
    it(`queues the comment (never loses it, never answers 5xx) when Comprehend ${what}`, async () => {
      const { app, logged } = await appWithComprehend(answer, { timeoutMs: 5000 });
      const res = await postJson(app, threadPath, commentBody());
      expect(res.status).toBe(202);
      expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({
        status: "pending",
        reasons: ["toxicity"],
        details: [`toxicity check unavailable (${cause})`],
      });
      expect(comprehend!.requests).toHaveLength(calls);
      expect(logged).toEqual([expect.objectContaining({ message: "toxicity check unavailable", site: "demo", cause })]);
    });
  }

  it("queues the comment when Comprehend does not answer within timeoutMs", async () => {
    const held = new Promise<void>((done) => (releaseHeld = done));
    const { app } = await appWithComprehend(() => ({ hold: held, ...results({ toxicity: 0 }) }), { timeoutMs: 300 });
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({
      reasons: ["toxicity"],
      details: ["toxicity check unavailable (no answer within 300 ms)"],
    });
  });

  it("queues the comment when nothing listens at the endpoint", async () => {
    const { app } = await appWithComprehend(() => results({ toxicity: 0 }), { timeoutMs: 5000 });
    await comprehend!.close();
    comprehend = undefined;
    const res = await postJson(app, threadPath, commentBody());
    expect(res.status).toBe(202);
    expect(await queueItem(app, (await res.json()).comment.id)).toMatchObject({
      reasons: ["toxicity"],
      details: ["toxicity check unavailable (could not be reached)"],
    });
  });

  it("is not called for sites without a toxicity check", async () => {
    comprehend = await startReceiver(() => results({ toxicity: 0.99 }));
    const { app } = await testApp({ sites: [site(), site({ id: "checked", moderation: { toxicity: { provider: "comprehend", endpoint: comprehend.url } } })] });
    expect((await postJson(app, threadPath, commentBody())).status).toBe(201);
    expect(comprehend.requests).toHaveLength(0);
    expect((await postJson(app, "/v1/sites/checked/threads/t/comments", commentBody(), { "x-test-ip": "198.51.100.9" })).status).toBe(202);
    expect(comprehend.requests).toHaveLength(1);
  });
});

describe("splitting text for Comprehend", () => {
  it("keeps a short text as one segment", () => {
    expect(splitIntoSegments("  Hello there.\n\nSecond paragraph.  ")).toEqual({ segments: ["Hello there.\n\nSecond paragraph."], truncated: false });
  });

  it("counts UTF-8 bytes, not characters, and never cuts a character in two", () => {
    const text = "é".repeat(1500); // 2 bytes each, one 3000-byte word
    const { segments } = splitIntoSegments(text);
    expect(segments.map((s) => Buffer.byteLength(s))).toEqual([1000, 1000, 1000]);
    expect(segments.join("")).toBe(text);
    const emoji = "🙂".repeat(300); // 4 bytes each
    expect(splitIntoSegments(emoji).segments.map((s) => [...s].length)).toEqual([250, 50]);
  });

  it("sends at most 10 segments and says when the rest was left out", () => {
    const text = "abcdefghi ".repeat(1500); // 15 000 bytes
    const { segments, truncated } = splitIntoSegments(text);
    expect(segments).toHaveLength(comprehendSegmentLimits.maxSegments);
    expect(truncated).toBe(true);
    expect(segments.every((s) => Buffer.byteLength(s) <= comprehendSegmentLimits.maxBytes)).toBe(true);
  });
});

describe("toxicity configuration", () => {
  const parse = (toxicity: unknown) => parseSitesConfig({ sites: [site({ moderation: { toxicity } as never })] }, { env: {} })[0]!;

  it("defaults to no check, and to threshold 0.7, English, 2000 ms and the function's region when one is set", () => {
    expect(parseSitesConfig({ sites: [site()] }, { env: {} })[0]!.moderation.toxicity).toBeNull();
    expect(parse({ provider: "comprehend" }).moderation.toxicity).toEqual({
      provider: "comprehend",
      threshold: 0.7,
      region: null,
      endpoint: null,
      languageCode: "en",
      timeoutMs: 2000,
    });
  });

  it("refuses a threshold outside 0..1, unknown fields, other providers and languages, bad regions and endpoints", () => {
    expect(() => parse({ provider: "comprehend", threshold: 1.5 })).toThrow(/sites\[0\]\.moderation\.toxicity\.threshold/);
    expect(() => parse({ provider: "comprehend", threshold: -0.1 })).toThrow(/sites\[0\]\.moderation\.toxicity\.threshold/);
    expect(() => parse({ provider: "comprehend", treshold: 0.5 })).toThrow(/treshold/);
    expect(() => parse({})).toThrow(/sites\[0\]\.moderation\.toxicity\.provider/);
    expect(() => parse({ provider: "perspective" })).toThrow(/sites\[0\]\.moderation\.toxicity\.provider/);
    expect(() => parse({ provider: "comprehend", languageCode: "fr" })).toThrow(/sites\[0\]\.moderation\.toxicity\.languageCode/);
    expect(() => parse({ provider: "comprehend", region: "Frankfurt" })).toThrow(/sites\[0\]\.moderation\.toxicity\.region: Must be an AWS region/);
    expect(() => parse({ provider: "comprehend", endpoint: "http://comprehend.example" })).toThrow(/sites\[0\]\.moderation\.toxicity\.endpoint: Must be an https URL/);
    expect(() => parse({ provider: "comprehend", timeoutMs: 0 })).toThrow(/sites\[0\]\.moderation\.toxicity\.timeoutMs/);
    expect(() => parse({ provider: "comprehend", timeoutMs: 5001 })).toThrow(/sites\[0\]\.moderation\.toxicity\.timeoutMs/);
    expect(parse({ provider: "comprehend", region: "eu-west-1", endpoint: "https://comprehend.eu-west-1.amazonaws.com" }).moderation.toxicity).toMatchObject({
      region: "eu-west-1",
      endpoint: "https://comprehend.eu-west-1.amazonaws.com",
    });
  });
});
