import { describe, expect, it } from "vitest";
import { moderatorKeyCreatedSchema, moderatorKeyListSchema, moderatorMeSchema } from "@comments/core";
import { newModeratorKey } from "@comments/api";
import { asModerator, freshStore, postJson, site, testApp } from "./support/harness.ts";

async function setup() {
  const { store } = await freshStore();
  const { app } = await testApp({ store, sites: [site(), { id: "other", origins: [] }] });
  const admin = newModeratorKey("ada", ["demo"], new Date(), "admin");
  const moderator = newModeratorKey("mo", ["demo"], new Date());
  const otherSite = newModeratorKey("olga", ["other"], new Date());
  for (const made of [admin, moderator, otherSite]) await store.putModeratorKey(made.record);
  const me = async (key?: string) => moderatorMeSchema.parse(await (await app.request("/v1/mod/me", { headers: asModerator(key) })).json());
  const keys = async (key?: string) => app.request("/v1/mod/keys", { headers: asModerator(key) });
  const create = (body: unknown, key?: string) => postJson(app, "/v1/mod/keys", body, asModerator(key));
  const revoke = (id: string, key?: string) => app.request(`/v1/mod/keys/${id}`, { method: "DELETE", headers: asModerator(key) });
  return { app, store, admin, moderator, otherSite, me, keys, create, revoke };
}

describe("key roles", () => {
  it("says the role of each key: moderator by default, admin for admin keys and the local key", async () => {
    const { admin, moderator, me } = await setup();
    expect(await me()).toEqual({ name: "dev", role: "admin", sites: [{ id: "demo", name: "Demo" }, { id: "other", name: "other" }] });
    expect(await me(admin.key)).toMatchObject({ name: "ada", role: "admin" });
    expect(await me(moderator.key)).toMatchObject({ name: "mo", role: "moderator" });
  });

  it("refuses every keys route to a moderator key with 403 forbidden, creating and revoking nothing", async () => {
    const { moderator, otherSite, keys, create, revoke, me } = await setup();
    for (const res of [await keys(moderator.key), await create({ name: "x", sites: ["demo"], role: "admin" }, moderator.key), await revoke(otherSite.record.keyId, moderator.key)]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    // Even a malformed body gets the 403 first: a moderator learns nothing about the keys routes.
    expect((await create("not json", moderator.key)).status).toBe(403);
    expect((await me(otherSite.key)).name).toBe("olga");
    expect(moderatorKeyListSchema.parse(await (await keys()).json()).items.map((k) => k.name).sort()).toEqual(["ada", "mo", "olga"]);
  });

  it("lets an admin create a key for its site (shown once), list it without any secret, and revoke it", async () => {
    const { app, store, admin, keys, create, revoke } = await setup();
    const res = await create({ name: "  Night shift ", sites: ["demo"] }, admin.key);
    expect(res.status).toBe(201);
    const made = moderatorKeyCreatedSchema.parse(await res.json());
    expect(made.key).toMatch(/^mk_[0-9A-Z]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(made.key.startsWith(`mk_${made.id}.`)).toBe(true);
    expect((await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(made.key) })).status).toBe(200);
    expect((await (await app.request("/v1/mod/me", { headers: asModerator(made.key) })).json()).role).toBe("moderator");

    const listRes = await keys(admin.key);
    const text = await listRes.clone().text();
    const list = moderatorKeyListSchema.parse(await listRes.json());
    expect(list.items.find((k) => k.id === made.id)).toEqual({ id: made.id, name: "Night shift", sites: ["demo"], role: "moderator", createdAt: expect.any(String) });
    const secret = made.key.split(".")[1]!;
    expect(text).not.toContain(secret);
    expect(text).not.toContain((await store.getModeratorKey(made.id))!.secretHash);
    expect((await store.getModeratorKey(made.id))!.secretHash).not.toContain(secret);

    expect((await revoke(made.id, admin.key)).status).toBe(204);
    expect((await app.request("/v1/mod/sites/demo/queue", { headers: asModerator(made.key) })).status).toBe(401);
    expect(moderatorKeyListSchema.parse(await (await keys(admin.key)).json()).items.map((k) => k.id)).not.toContain(made.id);
    const again = await revoke(made.id, admin.key);
    expect(again.status).toBe(404);
    expect((await again.json()).error.code).toBe("key_not_found");
    expect((await revoke("ZZZZZZZZZZZZZZZZ", admin.key)).status).toBe(404);
    expect((await revoke("not-a-key-id", admin.key)).status).toBe(404);
  });

  it("keeps an admin to its own sites: other sites' keys are neither listed, created nor revoked", async () => {
    const { app, admin, otherSite, keys, create, revoke } = await setup();
    const listed = moderatorKeyListSchema.parse(await (await keys(admin.key)).json()).items.map((k) => k.name);
    expect(listed.sort()).toEqual(["ada", "mo"]);
    const elsewhere = await create({ name: "x", sites: ["demo", "other"] }, admin.key);
    expect(elsewhere.status).toBe(403);
    expect((await elsewhere.json()).error.code).toBe("forbidden");
    const revoking = await revoke(otherSite.record.keyId, admin.key);
    expect(revoking.status).toBe(403);
    expect((await app.request("/v1/mod/sites/other/queue", { headers: asModerator(otherSite.key) })).status).toBe(200);
  });

  it("lets an admin make another admin, who can manage keys in turn", async () => {
    const { admin, create, keys } = await setup();
    const second = moderatorKeyCreatedSchema.parse(await (await create({ name: "deputy", sites: ["demo"], role: "admin" }, admin.key)).json());
    expect(moderatorKeyListSchema.parse(await (await keys(second.key)).json()).items.find((k) => k.id === second.id)?.role).toBe("admin");
    expect((await create({ name: "trainee", sites: ["demo"] }, second.key)).status).toBe(201);
  });

  it("answers 400 with fields for a bad key request", async () => {
    const { create } = await setup();
    const cases: [unknown, string][] = [
      [{ name: "", sites: ["demo"] }, "name"],
      [{ name: "x", sites: [] }, "sites"],
      [{ name: "x", sites: ["nope"] }, "sites"],
      [{ name: "x", sites: ["demo"], role: "owner" }, "role"],
      [{ name: "x".repeat(101), sites: ["demo"] }, "name"],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await res.json()).error;
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields)).toContain(field);
    }
    expect((await create("{")).status).toBe(400);
  });
});
