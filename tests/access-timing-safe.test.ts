import { beforeEach, describe, expect, it, vi } from "vitest";
import * as crypto from "node:crypto";

// Watch the real timingSafeEqual (it still does the comparison) to see which code paths use it.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { authenticateModerator, newModeratorKey } = await import("@comments/api");
const { freshStore } = await import("./support/harness.ts");

const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
beforeEach(() => {
  timingSafeEqual.mockClear();
});

/** The digests each timingSafeEqual call compared, as hex. */
const compared = () => timingSafeEqual.mock.calls.map((args) => args.map((digest) => Buffer.from(digest as Uint8Array).toString("hex")));

describe("moderator keys are compared in constant time", () => {
  it("compares the dev key by digest with timingSafeEqual, for a right and a wrong key alike", async () => {
    const { store } = await freshStore();
    await expect(authenticateModerator("dev-key", store, "dev-key")).resolves.toEqual({ name: "dev", role: "admin", sites: "*" });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    // Digests of equal length, whatever the length of what was presented.
    for (const digests of compared()) expect(digests.map((d) => d.length)).toEqual([64, 64]);
    timingSafeEqual.mockClear();
    await expect(authenticateModerator("dev-kez", store, "dev-key")).rejects.toMatchObject({ code: "unauthorized" });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it("compares a stored key's secret with timingSafeEqual, and still compares once when the key id is unknown", async () => {
    const { store } = await freshStore();
    const { key, record } = newModeratorKey("alice", ["demo"], new Date());
    await store.putModeratorKey(record);
    const [keyId, secret] = key.slice(3).split(".") as [string, string];

    await expect(authenticateModerator(key, store, null)).resolves.toEqual({ name: "alice", role: "moderator", sites: ["demo"] });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(compared()[0]![1]).toBe(record.secretHash);

    for (const presented of [`mk_${keyId}.${"x".repeat(43)}`, `mk_${"Z".repeat(16)}.${secret}`]) {
      timingSafeEqual.mockClear();
      await expect(authenticateModerator(presented, store, null)).rejects.toMatchObject({ code: "unauthorized" });
      expect(timingSafeEqual, presented).toHaveBeenCalledTimes(1);
    }
  });

  it("checks the dev key and then the stored key, each in constant time, when both are configured", async () => {
    const { store } = await freshStore();
    const { key, record } = newModeratorKey("bob", ["demo"], new Date());
    await store.putModeratorKey(record);
    await expect(authenticateModerator(key, store, "dev-key")).resolves.toMatchObject({ name: "bob" });
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
  });
});
