import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalServer } from "@comments/local";
import { site, startApiServer } from "./support/harness.ts";

describe("the demo sign-in of the local server", () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => server?.stop());

  it("mints a staff token for the demo site, which posts as a verified member of staff", async () => {
    const res = await fetch(`${server.url}/demo/sso-token?role=staff`);
    expect(res.status).toBe(200);
    const minted = await res.json();
    expect(minted).toEqual({ token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), expiresAt: expect.any(String), reader: { sub: "demo-staff", name: "Demo Editor", role: "staff" } });
    const post = await fetch(`${server.url}/v1/sites/demo/threads/demo-article/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${minted.token}` },
      body: JSON.stringify({ body: "Hello from the newsroom." }),
    });
    expect(post.status).toBe(201);
    const answer = await post.json();
    expect(answer.comment.author).toEqual({ name: "Demo Editor", url: null, verified: true, badge: "staff", avatar: null });
    expect(answer.editToken).toEqual(expect.any(String));
  });

  it("mints a plain reader by default and refuses any other role", async () => {
    expect((await (await fetch(`${server.url}/demo/sso-token`)).json()).reader).toEqual({ sub: "demo-reader", name: "Demo Reader", role: "reader" });
    const bad = await fetch(`${server.url}/demo/sso-token?role=admin`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("validation_failed");
  });

  it("is not there when the server runs configured sites", async () => {
    const configured = await startApiServer({ sites: [site()] });
    try {
      const res = await fetch(`${configured.url}/demo/sso-token`);
      expect(res.status).toBe(404);
    } finally {
      await configured.stop();
    }
  });
});
