import * as z from "zod";
import {
  auditPageSchema,
  banInputSchema,
  banSchema,
  commentInputSchema,
  countsSchema,
  decisionInputSchema,
  errorResponseSchema,
  flagInputSchema,
  modCommentSchema,
  postAnswerSchema,
  queuePageSchema,
  siteConfigResponseSchema,
  threadPageSchema,
} from "@comments/core";
import { dataRequestSchema } from "./data-requests.ts";

const json = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) } });
const out = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) } });
const error = (description: string) => ({ description, content: out(errorResponseSchema) });
const site = { name: "siteId", in: "path", required: true, schema: { type: "string" } };
const thread = { name: "threadId", in: "path", required: true, description: "1..200 printable characters, URL-encoded", schema: { type: "string" } };
const comment = { name: "commentId", in: "path", required: true, schema: { type: "string" } };
const page = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
  { name: "cursor", in: "query", schema: { type: "string" } },
];
const bearer = [{ moderatorKey: [] }];

/** The OpenAPI 3.1 document, generated from the same zod schemas the API validates with. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Comment service", version: "1" },
    components: { securitySchemes: { moderatorKey: { type: "http", scheme: "bearer" } } },
    paths: {
      "/v1/sites/{siteId}/config": {
        get: { parameters: [site], responses: { 200: { description: "Site configuration for the widget", content: out(siteConfigResponseSchema) }, 404: error("site_not_found") } },
      },
      "/v1/sites/{siteId}/threads/{threadId}/comments": {
        get: {
          parameters: [site, thread, ...page],
          responses: { 200: { description: "A page of published comments", content: out(threadPageSchema) }, 304: { description: "Not modified" }, 400: error("validation_failed") },
        },
        post: {
          parameters: [site, thread, { name: "Idempotency-Key", in: "header", schema: { type: "string" } }],
          requestBody: { required: true, content: json(commentInputSchema) },
          responses: {
            201: { description: "Published", content: out(postAnswerSchema) },
            202: { description: "Awaiting moderation", content: out(postAnswerSchema) },
            400: error("invalid_json, validation_failed"),
            403: error("captcha_failed, captcha_score_too_low, author_banned, origin_not_allowed"),
            404: error("site_not_found, parent_not_found"),
            409: error("thread_closed, duplicate_comment"),
            413: error("payload_too_large"),
            422: error("idempotency_key_reused"),
            429: error("rate_limited"),
            503: error("unavailable"),
          },
        },
      },
      "/v1/sites/{siteId}/counts": {
        get: {
          parameters: [site, { name: "thread", in: "query", schema: { type: "array", items: { type: "string" }, maxItems: 100 } }],
          responses: { 200: { description: "Published comment counts", content: out(countsSchema) } },
        },
      },
      "/v1/sites/{siteId}/threads/{threadId}/comments/{commentId}/flags": {
        post: {
          parameters: [site, thread, comment],
          requestBody: { required: true, content: json(flagInputSchema) },
          responses: { 202: { description: "Flag recorded" }, 404: error("comment_not_found") },
        },
      },
      "/v1/mod/sites/{siteId}/queue": {
        get: { security: bearer, parameters: [site, ...page], responses: { 200: { description: "Oldest first", content: out(queuePageSchema) }, 401: error("unauthorized"), 403: error("forbidden") } },
      },
      "/v1/mod/sites/{siteId}/threads/{threadId}/comments/{commentId}/decision": {
        post: {
          security: bearer,
          parameters: [site, thread, comment],
          requestBody: { required: true, content: json(decisionInputSchema) },
          responses: {
            200: { description: "Decided", content: out(z.object({ comment: modCommentSchema })) },
            404: error("comment_not_found"),
            409: error("already_decided"),
          },
        },
      },
      "/v1/mod/sites/{siteId}/audit": {
        get: { security: bearer, parameters: [site, ...page], responses: { 200: { description: "Newest first", content: out(auditPageSchema) } } },
      },
      "/v1/mod/sites/{siteId}/bans": {
        get: { security: bearer, parameters: [site], responses: { 200: { description: "Active bans" } } },
        post: {
          security: bearer,
          parameters: [site],
          requestBody: { required: true, content: json(banInputSchema) },
          responses: { 201: { description: "Banned", content: out(z.object({ ban: banSchema })) }, 404: error("comment_not_found") },
        },
      },
      "/v1/mod/sites/{siteId}/bans/{banId}": {
        delete: { security: bearer, parameters: [site, { name: "banId", in: "path", required: true, schema: { type: "string" } }], responses: { 204: { description: "Lifted" }, 404: error("ban_not_found") } },
      },
      "/v1/mod/sites/{siteId}/data-requests/export": {
        post: {
          security: bearer,
          parameters: [site],
          requestBody: { required: true, content: json(dataRequestSchema) },
          responses: { 200: { description: "Every comment posted with the email, with its text" }, 400: error("validation_failed") },
        },
      },
      "/v1/mod/sites/{siteId}/data-requests/erase": {
        post: {
          security: bearer,
          parameters: [site],
          requestBody: { required: true, content: json(dataRequestSchema) },
          responses: { 200: { description: "`{\"erased\": n}`: the comments became [deleted] placeholders" }, 400: error("validation_failed") },
        },
      },
      "/healthz": { get: { responses: { 200: { description: "The store answers" }, 503: error("unavailable") } } },
    },
  };
}
