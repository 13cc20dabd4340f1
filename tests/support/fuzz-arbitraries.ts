import fc from "fast-check";

/** Strings that have broken text handling somewhere before: direction overrides, invisible characters, lone surrogates, controls, markup. */
export const nastyFragments = [
  "\u202E", // right-to-left override
  "\u202D",
  "\u2066\u2069",
  "\u200B", // zero-width space
  "\u200D",
  "\u200C",
  "\uFEFF",
  "\u2028",
  "\u2029",
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "\uDBFF\uDFFF",
  "\u0000",
  "\u0007",
  "\u001B[31m",
  "\r\n",
  "\r",
  "\t",
  "\u00A0",
  "\u0301",
  "e\u0301",
  "😀",
  "👩‍👩‍👧‍👦",
  "ﷺ",
  "العربية",
  "עִברִית",
  "../",
  "..%2F",
  "%2e%2e%2f",
  "%00",
  "%",
  "#",
  "?",
  "\\",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg/onload=alert(1)>",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "<javascript:alert(1)>",
  "javascript:alert(1)",
  "\"'><b onmouseover=alert(1)>",
  "`<script>`",
  "```js\n<script>\n```",
  "*_`[](",
  "http://a.example/?q=<script>",
  "mailto:a@b.example",
  "&lt;script&gt;",
  "&#x6A;avascript:alert(1)",
  "{{constructor.constructor('alert(1)')()}}",
  "${7*7}",
  "' OR '1'='1",
  "test:0.9",
  "test:0.5",
  "test:fail",
  "01ARZ3NDEKTSV4RRFFQ69G5FAV",
];

/** Any string, biased towards the fragments above, sometimes huge. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  // Raw UTF-16 code units: lone surrogates and unassigned characters included.
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...nastyFragments) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...nastyFragments), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "😀", "\u200B", "<", "[a](http://x.example) ", "\uD800", " "), fc.integer({ min: 100, max: 40_000 }))
      .map(([part, times]) => part.repeat(times)),
  },
);

/** A plausible reader name or comment, so enough fuzzed posts get through validation and are stored. */
const plausibleText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => `${s}x`),
  fc.array(fc.constantFrom(...nastyFragments, "hello", "world", " ", "\n", "**bold**", "_em_"), { minLength: 1, maxLength: 8 }).map((p) => `${p.join("")} ok`),
);

/** JSON values built from nasty strings and edge numbers. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    nastyString,
    fc.constantFrom(0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 5e-324),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nastyString, fc.constantFrom("__proto__", "constructor", "author", "body", "name")), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A body shaped like a comment post, each field either sensible or hostile. */
export const commentShaped: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    author: fc.oneof(
      { weight: 4, arbitrary: fc.record({ name: fc.oneof(plausibleText, nastyString, nastyJson), email: fc.oneof(fc.constant(undefined), fc.constantFrom("", null, "a@b.example", "x@y", "ann+tag@news.example"), nastyString), url: fc.oneof(fc.constant(undefined), fc.constantFrom("", null, "https://ann.example", "javascript:alert(1)", "http://[::1]/", "https://ex ample.com"), nastyString) }, { requiredKeys: ["name"] }) },
      { weight: 1, arbitrary: nastyJson },
    ),
    body: fc.oneof({ weight: 4, arbitrary: plausibleText }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: nastyJson }),
    captchaToken: fc.oneof({ weight: 5, arbitrary: fc.constantFrom("test:0.9", "test:0.5", "test:0.1", "test:fail") }, { weight: 1, arbitrary: nastyJson }),
    parentId: fc.oneof(fc.constantFrom(undefined, null, "", "01ARZ3NDEKTSV4RRFFQ69G5FAV"), nastyJson),
    website: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: nastyJson }),
    extra: nastyJson,
  },
  { requiredKeys: [] },
);

/** Raw request bodies: JSON text of any shape, broken JSON, deep nesting, invalid UTF-8 bytes. */
export const rawBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: commentShaped.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: nastyJson.map((value) => JSON.stringify(value) ?? "null") },
  { weight: 1, arbitrary: commentShaped.map((value) => JSON.stringify(value).slice(0, -1)) },
  { weight: 1, arbitrary: nastyString },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 10, max: 16_000 }).map((depth) => `{"author":{"name":"Deep"},"body":"deep ${depth}","captchaToken":"test:0.9","extra":${"[".repeat(depth)}${"]".repeat(depth)}}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 100_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), new Uint8Array([0xed, 0xa0, 0x80])) },
);

/** Percent-encodes any string (lone surrogates, which cannot be encoded, become U+FFFD first). */
export const percentEncode = (text: string) =>
  encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));

/** A header value the HTTP stack accepts (Latin-1, no CR, LF or NUL), often hostile. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom("", " ", "null", "undefined", "*", "x".repeat(300), "Bearer", "Bearer ", "Bearer x", "Basic YTpi", "\t"),
);

/** A path segment: sensible, encoded traversal, encoded slashes, broken escapes, unicode, very long. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("demo", "other", "nope", "t", "threads", "comments", "flags", "config", "counts", "queue", "decision", "audit", "bans", "me", "sites", "mod", "v1"),
  fc.constantFrom("..", ".", "%2e%2e", "%2E%2E", "..%2f..", "%2F", "a%2Fb", "%252F", "%00", "a%00b", "%ZZ", "%E0%A4%A", "%C0%AE%C0%AE", "%F0%9F%98%80", "%E2%80%AE", "%u2215", ";x", "", "~", "*"),
  fc.constantFrom("01ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FA", "01arz3ndektsv4rrffq69g5fav"),
  fc.string({ maxLength: 12 }).map(percentEncode),
  fc.string({ unit: "binary", maxLength: 12 }).map(percentEncode),
  nastyString.map((s) => percentEncode(s.slice(0, 40))),
  fc.integer({ min: 190, max: 3000 }).map((n) => "t".repeat(n)),
);

/** A query string of the parameters the routes read, with hostile values. */
export const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom("limit", "cursor", "thread", "x", "limit", "thread"),
      fc.oneof(fc.constantFrom("0", "1", "50", "100", "101", "-1", "1e2", "0x10", "NaN", "", " 5", "eyJwayI6IlQjZGVtbyN0In0", "AAAA"), nastyString.map((s) => s.slice(0, 300))),
    ),
    { maxLength: 6 },
  )
  .chain((pairs) =>
    fc.boolean().map((many) => {
      const params = new URLSearchParams();
      for (const [key, value] of pairs) params.append(key, value.replace(/[\uD800-\uDFFF]/g, ""));
      if (many) for (let i = 0; i < 101; i++) params.append("thread", `t${i}`);
      const text = params.toString();
      return text ? `?${text}` : "";
    }),
  );

/** HTTP methods, common and odd. */
export const method = fc.constantFrom("GET", "GET", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "TRACE-X");

/** A comment that passes validation more often than not, with hostile text in every free-text field. */
export const hostileComment: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    author: fc.record(
      {
        name: fc.oneof(plausibleText, nastyString.map((s) => `${s.slice(0, 90)}n`)),
        email: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("", null, "ann@news.example") }),
        url: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("https://ann.example/?q=<x>", "http://a.example/\"onmouseover=\"x") }),
      },
      { requiredKeys: ["name"] },
    ),
    body: fc.oneof(plausibleText, nastyString.map((s) => `${s.slice(0, 4000)} b`)),
    captchaToken: fc.constantFrom("test:0.9", "test:0.9", "test:0.5"),
    website: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("", " ", "http://bot.example", "\u200B") }),
    extra: nastyJson,
  },
  { requiredKeys: ["author", "body", "captchaToken"] },
);
