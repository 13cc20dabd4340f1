import { describe, expect, it } from "vitest";
import { commentInputSchema } from "@comments/core";
import { parentGate } from "../../src/pipeline/gates/index.ts";
import { commentBody, postJson, testApp } from "../../../../tests/support/harness.ts";
import { gateContext } from "./context.ts";

const replyTo = (parentId: string | undefined) => commentInputSchema.parse({ author: { name: "Ann" }, body: "Hello", captchaToken: "test:0.9", parentId });

describe("parent gate", () => {
  it("lets a top-level comment and a reply to a published comment of the thread through, and refuses any other parent", async () => {
    const { app, store } = await testApp();
    const posted = await postJson(app, "/v1/sites/demo/threads/t/comments", commentBody());
    expect(posted.status).toBe(201);
    const parentId = (await posted.json()).comment.id as string;
    const onDemo = { id: "demo" };
    await expect(parentGate(gateContext({ store, input: replyTo(undefined) }, onDemo))).resolves.toBeUndefined();
    await expect(parentGate(gateContext({ store, input: replyTo(parentId) }, onDemo))).resolves.toBeUndefined();
    await expect(parentGate(gateContext({ store, threadId: "other", input: replyTo(parentId) }, onDemo))).rejects.toMatchObject({ code: "parent_not_found" });
  });
});
