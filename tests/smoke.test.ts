import { describe, expect, it } from "vitest";
import { testApp, postJson, commentBody } from "./support/harness.ts";

describe("smoke", () => {
  it("answers health and posts a comment", async () => {
    const { app } = await testApp();
    expect((await app.request("/healthz")).status).toBe(200);
    const res = await postJson(app, "/v1/sites/demo/threads/a/comments", commentBody());
    expect(res.status).toBe(201);
    const nf = await app.request("/nope");
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
