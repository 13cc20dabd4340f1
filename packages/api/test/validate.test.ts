import { Hono } from "hono";
import * as z from "zod";
import { describe, expect, it } from "vitest";
import { threadIdSchema, threadListSchema } from "@comments/core";
import type { AppEnv } from "../src/deps.ts";
import { respondWithError } from "../src/error-mapper.ts";
import { validate } from "../src/middleware/validate.ts";

const silent = { error: () => undefined };

/** A small app with one validated route that echoes what its validators accepted. */
function appWith(...validators: ReturnType<typeof validate<any>>[]) {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => respondWithError(c, error, silent));
  for (const validator of validators) app.post("/t/:threadId", validator.middleware);
  app.post("/t/:threadId", (c) => c.json(validators.map((v) => v.values(c))));
  return app;
}

const post = (app: Hono<AppEnv>, path: string, body: string, headers: Record<string, string> = {}) =>
  app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("validate middleware", () => {
  it("answers every problem of path, header and body in one 400 validation_failed, by dotted field path", async () => {
    const app = appWith(validate({ param: { threadId: threadIdSchema }, header: { "X-Key": z.string().min(3, "Key too short") }, json: z.object({ author: z.object({ name: z.string().min(1, "Name please") }) }) }));
    const res = await post(app, `/t/${"x".repeat(201)}`, JSON.stringify({ author: { name: "" } }), { "x-key": "a" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: "validation_failed",
        message: "Please correct the highlighted fields.",
        fields: { threadId: "Thread id must be 1 to 200 printable characters", "X-Key": "Key too short", "author.name": "Name please" },
      },
    });
  });

  it("reads the body before validating: unparsable JSON is 400 invalid_json", async () => {
    const res = await post(appWith(validate({ param: { threadId: threadIdSchema }, json: z.object({}) })), "/t/ok", "{nope");
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_json");
  });

  it("stops at the first validator that fails when a route lists several", async () => {
    const app = appWith(validate({ query: { limit: z.string().regex(/^\d+$/, "Limit must be a number") } }), validate({ query: { cursor: z.string().min(5, "Bad cursor") } }));
    expect((await (await post(app, "/t/a?limit=x&cursor=y", "{}")).json()).error.fields).toEqual({ limit: "Limit must be a number" });
    expect((await (await post(app, "/t/a?limit=1&cursor=y", "{}")).json()).error.fields).toEqual({ cursor: "Bad cursor" });
  });

  it("gives an array schema every value of a repeated query parameter", async () => {
    const app = appWith(validate({ query: { thread: threadListSchema } }));
    const ok = await post(app, "/t/a?thread=x&thread=y", "{}");
    expect(await ok.json()).toEqual([{ rawJson: undefined, query: { thread: ["x", "y"] } }]);
    const bad = await post(app, `/t/a?thread=x&thread=${"y".repeat(201)}`, "{}");
    expect((await bad.json()).error.fields).toEqual({ "thread.1": "Thread id must be 1 to 200 printable characters" });
  });

  it("adds the fields of its check to the same answer", async () => {
    const app = appWith(validate({ json: z.object({ body: z.string() }) }, { check: ({ json }) => (json && json.body.length > 3 ? { body: "Too long" } : undefined) }));
    expect((await (await post(app, "/t/a", JSON.stringify({ body: "long" }))).json()).error.fields).toEqual({ body: "Too long" });
    expect((await post(app, "/t/a", JSON.stringify({ body: "ok" }))).status).toBe(200);
  });
});
