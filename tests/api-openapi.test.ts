import { describe, expect, it } from "vitest";
import { statusByCode } from "@comments/api";
import { testApp } from "./support/harness.ts";

/** `GET /v1/sites/:siteId/config` → `GET /v1/sites/{siteId}/config`. */
const operation = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:([^/]+)/g, "{$1}")}`;

describe("OpenAPI document", () => {
  it("lists exactly the routes the app serves (one route table for both)", async () => {
    const { app } = await testApp();
    const doc = await (await app.request("/openapi.json")).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((method) => operation(method, path)));
    const served = app.routes.filter((route) => route.method !== "ALL" && route.method !== "OPTIONS").map((route) => operation(route.method, route.path));
    expect(new Set(documented)).toEqual(new Set(served));
    expect(documented).toContain("GET /v1/mod/me");
  });

  it("describes request bodies, parameters and every error answer from the schemas and codes the route uses", async () => {
    const { app } = await testApp();
    const doc = await (await app.request("/openapi.json")).json();
    const post = doc.paths["/v1/sites/{siteId}/threads/{threadId}/comments"].post;
    expect(post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(["path:siteId", "path:threadId", "header:Idempotency-Key"]);
    expect(post.requestBody.content["application/json"].schema.required).toEqual(expect.arrayContaining(["body", "captchaToken"]));
    expect(post.responses["403"].description).toBe("origin_not_allowed, author_banned, captcha_failed, captcha_score_too_low");
    const read = doc.paths["/v1/sites/{siteId}/threads/{threadId}/comments"].get;
    expect(read.parameters.map((p: { name: string }) => p.name)).toEqual(["siteId", "threadId", "limit", "cursor", "sort", "around"]);
    const queue = doc.paths["/v1/mod/sites/{siteId}/queue"].get;
    expect(queue.security).toEqual([{ moderatorKey: [] }]);
    expect(Object.keys(queue.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404"]));
    for (const methods of Object.values(doc.paths as Record<string, Record<string, { responses: Record<string, { description: string }> }>>)) {
      for (const { responses } of Object.values(methods)) {
        for (const [status, answer] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          for (const code of answer.description.split(", ")) expect(statusByCode[code as keyof typeof statusByCode], code).toBe(Number(status));
        }
      }
    }
  });
});
