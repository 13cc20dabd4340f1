import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { request as httpRequest } from "node:http";
import { renderBody, toPublicComment } from "@comments/core";
import type { LocalServer } from "@comments/local";
import { createClients } from "@comments/store";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { devKey, dynamoEndpoint, freshStore, startApiServer, testApp } from "./support/harness.ts";
import { readerToken, signInSite, ssoSecrets } from "./support/sso.ts";
import { commentShaped, headerValue, hostileComment, method, percentEncode, nastyString, pathSegment, queryString, rawBody } from "./support/fuzz-arbitraries.ts";
import { answerProblems, type FuzzRequest } from "./support/fuzz-invariants.ts";
import { checkStoredComments, unsafeHtmlProblems } from "./support/stored-invariants.ts";

const allowedOrigins = ["https://news.example", "http://localhost"];
const openSite = signInSite({ rateLimit: { perMinute: 100_000, perHour: 100_000 }, moderation: { suspectWords: ["scam"], bannedWords: ["viagra"] } });

/** Sign-in tokens that must all be refused: wrong secret, `alg: none`, HS512, garbage. */
const hostileTokens = [
  "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4IiwibmFtZSI6IngiLCJleHAiOjQxMDI0NDQ4MDB9.",
  "Bearer a.b.c",
  "Bearer ",
  "Bearer \u00e9",
  "Basic dXNlcjpwYXNz",
  "sign:wrong-secret:Ada",
  "sign:hs512:Ada",
];

/** Paths of every public route with fuzzed segments, plus free-form paths. */
const publicPath = fc
  .tuple(
    fc.oneof(
      fc.tuple(pathSegment, pathSegment).map(([s, t]) => `/v1/sites/${s}/threads/${t}/comments`),
      fc.tuple(pathSegment).map(([t]) => `/v1/sites/demo/threads/${t}/comments`),
      fc.constant("/v1/sites/demo/threads/fuzz/comments"),
      fc.tuple(pathSegment, pathSegment, pathSegment).map(([s, t, c]) => `/v1/sites/${s}/threads/${t}/comments/${c}/flags`),
      fc.tuple(pathSegment, pathSegment, pathSegment).map(([s, t, c]) => `/v1/sites/${s}/threads/${t}/comments/${c}`),
      fc.tuple(pathSegment).map(([c]) => `/v1/sites/demo/threads/fuzz/comments/${c}`),
      fc.tuple(pathSegment).map(([s]) => `/v1/sites/${s}/config`),
      fc.tuple(pathSegment).map(([s]) => `/v1/sites/${s}/counts`),
      fc.tuple(pathSegment).map(([s]) => `/v1/sites/${s}`),
      fc.array(pathSegment, { minLength: 0, maxLength: 8 }).map((segments) => `/${segments.join("/")}`),
      fc.constantFrom("/healthz", "/openapi.json", "/", "//", "/v1/sites/demo/threads//comments", "/v1/sites/demo/threads/a/comments/"),
    ),
    queryString,
  )
  .map(([path, query]) => path + query);

/** Request headers a reader's browser, a bot or an attacker might send. */
const publicHeaders = fc.record(
  {
    "content-type": fc.oneof(fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"), headerValue),
    "idempotency-key": fc.oneof(fc.constantFrom("key-1", "k".repeat(255), "k".repeat(256), " ", "cl\u00e9"), headerValue),
    origin: fc.oneof(fc.constantFrom("https://news.example", "https://evil.example", "null", "https://news.example.evil.example", "HTTPS://NEWS.EXAMPLE", "https://news.example:443", "http://localhost"), headerValue),
    "if-none-match": fc.oneof(fc.constantFrom("*", '"abc"', 'W/"abc"'), headerValue),
    authorization: fc.oneof(fc.constantFrom(`Bearer ${devKey}x`, "Bearer mk_AAAAAAAAAAAAAAAA.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ...hostileTokens), headerValue),
    "x-edit-token": fc.oneof(fc.constantFrom("", "A".repeat(43), "A".repeat(201), "tok\u00e9n"), headerValue),
    "x-forwarded-for": fc.oneof(fc.constantFrom("1.2.3.4", "1.2.3.4, 5.6.7.8", "::1", "garbage"), headerValue),
    "x-forwarded-host": fc.oneof(fc.constantFrom("evil.example", "news.example"), headerValue),
    "content-length": fc.constantFrom("0", "1", "99999999", "-1", "abc"),
    "access-control-request-method": fc.constantFrom("POST", "DELETE", "GET", "PUT", "PATCH"),
    accept: headerValue,
  },
  { requiredKeys: [] },
);

/** Hostile bodies posted the way the widget posts, so many get past the edge and reach the store. */
const likelyPost: fc.Arbitrary<FuzzRequest> = fc
  .record({ thread: fc.constantFrom("fuzz", "fuzz%2Fa", "%E2%80%AEfuzz", "fuzz%F0%9F%98%80"), body: fc.oneof(hostileComment, commentShaped), key: fc.option(fc.string({ minLength: 1, maxLength: 20 }).map((k) => `k-${percentEncode(k)}`)) })
  .map(({ thread, body, key }) => ({
    method: "POST",
    path: `/v1/sites/demo/threads/${thread}/comments`,
    headers: { "content-type": "application/json", origin: "https://news.example", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify(body),
  }));

/** Signed-in posts: a valid reader token (sometimes with a hostile name or avatar) or a broken one. */
const signedInPost: fc.Arbitrary<FuzzRequest> = fc
  .record({ body: fc.oneof(hostileComment, commentShaped), name: fc.oneof(fc.constant("Ada"), nastyString.map((name) => name.slice(0, 300))), token: fc.constantFrom("valid", "staff", ...hostileTokens) })
  .map(({ body, name, token }) => ({
    method: "POST",
    path: "/v1/sites/demo/threads/fuzz/comments",
    headers: { "content-type": "application/json", origin: "https://news.example", authorization: token.startsWith("Bearer") ? token : `sign:${token}:${name}` },
    body: JSON.stringify(body),
  }));

/**
 * An author's edit or delete of a comment the run has posted (`pick` chooses which at run time), with its own
 * token, somebody else's, or none, and a hostile new body.
 */
const ownCommentChange = fc
  .record({
    method: fc.constantFrom("PATCH", "PATCH", "DELETE"),
    pick: fc.nat(),
    credential: fc.constantFrom("own", "own", "own", "other", "none", "reader"),
    body: fc.oneof(hostileComment.map((c) => ({ body: c.body })), fc.record({ body: nastyString }), rawBody),
  })
  .map((change) => ({ kind: "own" as const, ...change }));

type FuzzStep = FuzzRequest | (typeof ownCommentChange extends fc.Arbitrary<infer T> ? T : never);

const fuzzRequest: fc.Arbitrary<FuzzStep> = fc.oneof(
  fc
    .record({ method, path: publicPath, headers: publicHeaders, body: rawBody })
    .map((r) => ({ ...r, body: r.method === "GET" || r.method === "HEAD" ? undefined : r.body })),
  likelyPost,
  signedInPost,
  ownCommentChange,
);

describe("fuzzing the public routes", () => {
  it("renders any text to HTML with only the Markdown subset's tags, no handlers and only http, https and mailto links", () => {
    fc.assert(
      fc.property(fc.array(nastyString, { maxLength: 6 }).map((parts) => parts.join(" ")), (body) => {
        expect(unsafeHtmlProblems(renderBody(body.slice(0, 6000)))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("never answers 5xx or outside the error contract, and stores only comments the API would produce", async () => {
    const { store, tableName, clients } = await freshStore();
    const { app } = await testApp({ store, sites: [openSite], secrets: ssoSecrets, ip: "198.51.100.20" });
    const problems: string[] = [];
    /** Each comment's public view as the API last answered it, its edit token, and which ones its author deleted. */
    const accepted = new Map<string, unknown>();
    const tokens = new Map<string, string>();
    const deleted = new Set<string>();
    const changed = { edits: 0, deletes: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (step) => {
        const request = await resolveStep(step, [...tokens.keys()], tokens);
        // app.request would drop a content-length that disagrees with the body, so only the declared huge one is kept.
        const headers = { ...request.headers };
        if (headers["content-length"] !== "99999999") delete headers["content-length"];
        const res = await app.request(request.path, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body as BodyInit } : {}) });
        const text = await res.text();
        const found = answerProblems(request, { status: res.status, headers: res.headers, text }, { allowedOrigins, moderatorKey: devKey });
        if (found.length > 0) problems.push(`${request.method} ${request.path.slice(0, 200)}: ${found.join("; ")}`);
        expect(found).toEqual([]);
        if ((request.method === "POST" && (res.status === 201 || res.status === 202)) || (request.method === "PATCH" && res.status === 200)) {
          const answer = JSON.parse(text) as { comment: { id: string; status: string }; editToken?: string };
          const { status: _status, ...comment } = answer.comment;
          accepted.set(comment.id, comment);
          if (answer.editToken) tokens.set(comment.id, answer.editToken);
        }
        if (request.method === "PATCH" && res.status === 200) changed.edits += 1;
        if (request.method === "DELETE" && res.status === 204) {
          changed.deletes += 1;
          const id = decodeURIComponent(request.path.split("/").at(-1) ?? "");
          if (accepted.has(id)) deleted.add(id);
        }
      }),
      // A fixed seed: the coverage check below must not depend on luck (FUZZ_SEED explores other runs).
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
    expect(problems).toEqual([]);
    // The run reached the authors' own changes, not just their refusals.
    expect(changed.edits).toBeGreaterThan(0);
    expect(changed.deletes).toBeGreaterThan(0);
    const stored = await checkStoredComments(clients.documentClient, tableName);
    expect(stored.problems).toEqual([]);
    expect(stored.comments.length).toBeGreaterThan(20);
    // What is stored is exactly what the API answered (after the author's last edit), nothing extra; a deleted
    // comment is gone or left as its placeholder.
    const storedIds = new Set(stored.comments.map((c) => c.id));
    expect([...accepted.keys()].filter((id) => !storedIds.has(id) && !deleted.has(id))).toEqual([]);
    for (const comment of stored.comments) {
      expect(accepted.has(comment.id)).toBe(true);
      if (deleted.has(comment.id)) expect(comment.deleted).toBe(true);
      else expect(toPublicComment(comment)).toEqual(accepted.get(comment.id));
    }
    const table = await scanText(clients.documentClient, tableName);
    expect([...tokens.values()].filter((token) => table.includes(token))).toEqual([]);
  }, 180_000);

  describe("over real HTTP (raw paths, no client-side normalisation)", () => {
    let server: LocalServer;
    beforeAll(async () => {
      server = await startApiServer({
        sites: [openSite],
        env: ssoSecrets,
      });
    });
    afterAll(async () => server?.stop());

    it("never answers 5xx or outside the error contract", async () => {
      const rawPath = fc
        .tuple(
          publicPath,
          fc.constantFrom("", "/..", "/../..", "/%2e%2e/%2e%2e/mod/sites/demo/queue", "/../../../mod/sites/demo/queue", "/./", "/%2F..%2F..%2Fmod"),
        )
        .map(([path, tail]) => {
          const [pathname, query] = path.split("?");
          return `${pathname}${tail}${query ? `?${query}` : ""}`;
        });
      const problems: string[] = [];
      // Node's HTTP parser itself refuses methods it does not know (400, before any application code).
      const knownMethod = method.filter((m) => m !== "TRACE-X");
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.record({ method: knownMethod, path: rawPath, headers: publicHeaders, body: rawBody }), likelyPost, signedInPost), async (r) => {
          const resolved = await resolveStep(r, [], new Map());
          const request: FuzzRequest = { ...resolved, body: resolved.method === "GET" || resolved.method === "HEAD" ? undefined : resolved.body };
          const headers = { ...request.headers };
          delete headers["content-length"];
          const answer = await rawHttp(server.port, request.method, request.path, headers, request.body);
          const found = answerProblems(request, answer, { allowedOrigins: [...allowedOrigins, `http://127.0.0.1:${server.port}`], moderatorKey: devKey });
          if (found.length > 0) problems.push(`${request.method} ${request.path.slice(0, 200)}: ${found.join("; ")}`);
          expect(found).toEqual([]);
        }),
        { numRuns: 100 },
      );
      expect(problems).toEqual([]);
      const clients = createClients({ endpoint: dynamoEndpoint() });
      const stored = await checkStoredComments(clients.documentClient, server.tableName);
      clients.client.destroy();
      expect(stored.problems).toEqual([]);
    }, 120_000);
  });
});

/**
 * Turns a fuzz step into the request to send: signs `sign:<kind>:<name>` tokens, and points an author's change at
 * a comment the run has posted (with its own edit token, another comment's, a sign-in, or nothing).
 */
async function resolveStep(step: FuzzStep, ids: string[], tokens: Map<string, string>): Promise<FuzzRequest> {
  if ("kind" in step) {
    const id = ids.length > 0 ? ids[step.pick % ids.length]! : "01HZZZZZZZZZZZZZZZZZZZZZZZ";
    const other = ids.length > 1 ? tokens.get(ids[(step.pick + 1) % ids.length]!) : undefined;
    const credential: Record<string, string> =
      step.credential === "own" && tokens.has(id) ? { "x-edit-token": tokens.get(id)! }
      : step.credential === "other" && other ? { "x-edit-token": other }
      : step.credential === "reader" ? { authorization: `Bearer ${await readerToken({ name: "Ada" })}` }
      : {};
    return {
      method: step.method,
      path: `/v1/sites/demo/threads/fuzz/comments/${id}`,
      headers: { "content-type": "application/json", origin: "https://news.example", ...credential },
      ...(step.method === "PATCH" ? { body: typeof step.body === "object" && !(step.body instanceof Uint8Array) ? JSON.stringify(step.body) : step.body } : {}),
    };
  }
  const match = /^sign:([^:]+):(.*)$/s.exec(step.headers.authorization ?? "");
  if (!match) return step;
  const [, kind, name] = match;
  const token =
    kind === "wrong-secret" ? await readerToken({ name }, { key: "not-the-host-secret-0123456789" })
    : kind === "hs512" ? await readerToken({ name }, { alg: "HS512" })
    : await readerToken({ name, ...(kind === "staff" ? { role: "staff", avatar: "https://cdn.example.com/a.png" } : {}) });
  return { ...step, headers: { ...step.headers, authorization: `Bearer ${token}` } };
}

/** The whole table as text (to look for what must never be stored). */
async function scanText(client: ReturnType<typeof createClients>["documentClient"], tableName: string): Promise<string> {
  return JSON.stringify((await client.send(new ScanCommand({ TableName: tableName }))).Items ?? []);
}

/** Sends a request exactly as given (Node's client does not normalise `..` or encoded slashes). */
function rawHttp(port: number, method: string, path: string, headers: Record<string, string>, body: string | Uint8Array | undefined) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const bytes = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
    // Node sends OPTIONS and DELETE bodies without framing unless a length is given.
    const framing = bytes ? { "content-length": String(bytes.byteLength) } : {};
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { ...headers, ...framing, connection: "close" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(bytes);
  });
}
