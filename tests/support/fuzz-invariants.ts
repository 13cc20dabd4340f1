import {
  countsSchema,
  editAnswerSchema,
  errorResponseSchema,
  postAnswerSchema,
  siteConfigResponseSchema,
  threadPageSchema,
} from "@comments/core";
import { unsafeHtmlProblems } from "./stored-invariants.ts";

/** One fuzzed request as sent. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** One answer as received (the body read as text). */
export interface FuzzAnswer {
  status: number;
  headers: Headers | Record<string, string | string[] | undefined>;
  text: string;
}

const header = (headers: FuzzAnswer["headers"], name: string): string | null => {
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
};

/** Public success bodies by the path they answer (the path after URL normalisation). */
const publicSuccess: [RegExp, (json: unknown) => boolean][] = [
  [/^\/v1\/sites\/[^/]+\/config$/, (json) => siteConfigResponseSchema.safeParse(json).success],
  [/^\/v1\/sites\/[^/]+\/threads\/[^/]+\/comments$/, (json) => threadPageSchema.safeParse(json).success || postAnswerSchema.safeParse(json).success],
  [/^\/v1\/sites\/[^/]+\/counts$/, (json) => countsSchema.safeParse(json).success],
  [/^\/v1\/sites\/[^/]+\/threads\/[^/]+\/comments\/[^/]+\/flags$/, (json) => JSON.stringify(json) === '{"ok":true}'],
  [/^\/v1\/sites\/[^/]+\/threads\/[^/]+\/comments\/[^/]+$/, (json) => editAnswerSchema.safeParse(json).success],
  [/^\/healthz$/, (json) => JSON.stringify(json) === '{"ok":true}'],
];

/**
 * Everything wrong with one answer to a fuzzed request: a 5xx, an error body outside the contract's
 * shape, a 429/503 without `Retry-After`, a CORS echo of an origin that is not allowed, private fields
 * in an answer given without a moderator key, unsafe HTML in a posted comment.
 */
export function answerProblems(
  request: FuzzRequest,
  answer: FuzzAnswer,
  options: { allowedOrigins: string[]; moderatorKey: string },
): string[] {
  const problems: string[] = [];
  const { status, text } = answer;
  if (status >= 500) problems.push(`status ${status}: ${text.slice(0, 300)}`);
  const origin = header(answer.headers, "access-control-allow-origin");
  if (origin !== null && (!options.allowedOrigins.includes(origin) || origin !== request.headers.origin)) {
    problems.push(`CORS allowed origin ${origin} for request origin ${request.headers.origin}`);
  }
  if (request.method === "HEAD" || status === 204 || status === 304) {
    if (text !== "") problems.push(`status ${status} with a body`);
    return problems;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`status ${status}: body is not JSON: ${text.slice(0, 200)}`);
    return problems;
  }
  if (status >= 400) {
    if (!errorResponseSchema.safeParse(json).success) problems.push(`status ${status}: error body outside the contract: ${text.slice(0, 300)}`);
    if (status === 429 || status === 503) {
      const retryAfter = header(answer.headers, "retry-after");
      if (!retryAfter || !/^[1-9]\d*$/.test(retryAfter)) problems.push(`status ${status} without a whole-second Retry-After`);
    }
    return problems;
  }
  const pathname = new URL(request.path, "http://localhost").pathname;
  if (pathname === "/openapi.json") return problems;
  const authorized = (request.headers.authorization ?? "").includes(options.moderatorKey);
  if (!authorized) {
    if (/"(email|ipHash|authorHash|secretHash)"/.test(text)) problems.push(`private field in an unauthenticated answer: ${text.slice(0, 300)}`);
    const expected = publicSuccess.find(([pattern]) => pattern.test(pathname));
    if (!expected) problems.push(`status ${status} for ${request.method} ${pathname} without a key`);
    else if (!expected[1](json)) problems.push(`status ${status}: body outside the contract: ${text.slice(0, 300)}`);
  }
  const posted = postAnswerSchema.safeParse(json);
  if (posted.success) for (const problem of unsafeHtmlProblems(posted.data.comment.bodyHtml)) problems.push(`posted comment: ${problem}`);
  const edited = editAnswerSchema.safeParse(json);
  if (edited.success) for (const problem of unsafeHtmlProblems(edited.data.comment.bodyHtml)) problems.push(`edited comment: ${problem}`);
  // Only a post's answer may carry an edit token.
  if (request.method !== "POST" && /"editToken"/.test(text)) problems.push(`edit token in a ${request.method} answer`);
  return problems;
}
