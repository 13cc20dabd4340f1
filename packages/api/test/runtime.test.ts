import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SiteConfigError } from "@comments/core";
import { createApp } from "../src/app.ts";
import { IpHashKeyError, createRuntime, loadIpHashKey } from "../src/runtime.ts";
import { freshStore } from "../../../tests/support/harness.ts";

const sitesJson = (sites: unknown[]) => JSON.stringify({ sites });
const recaptchaSite = { id: "news", origins: ["https://news.example"], captcha: { provider: "recaptcha-v3", secretEnv: "RECAPTCHA_SECRET" } };

describe("composition root", () => {
  const dir = mkdtempSync(join(tmpdir(), "runtime-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads sites from SITES_JSON and looks captcha secrets up in linked secrets over the environment", () => {
    const runtime = createRuntime({ env: { SITES_JSON: sitesJson([recaptchaSite]), IP_HASH_KEY: "k".repeat(32) }, secrets: { RECAPTCHA_SECRET: "s3cret" } });
    expect(runtime.sites.map((site) => site.id)).toEqual(["news"]);
    expect(runtime.secrets.RECAPTCHA_SECRET).toBe("s3cret");
    expect(runtime.ipHashKey).toBe("k".repeat(32));
  });

  it("refuses a missing captcha secret, unless the host never verifies captchas (the notifier)", () => {
    expect(() => createRuntime({ env: { SITES_JSON: sitesJson([recaptchaSite]) } })).toThrow(SiteConfigError);
    expect(createRuntime({ env: { SITES_JSON: sitesJson([recaptchaSite]) }, checkCaptchaSecrets: false }).sites).toHaveLength(1);
  });

  it("falls back to the host's default sites and reads the deployment lists from the environment", () => {
    const runtime = createRuntime({
      env: { MODERATION_ORIGINS: "https://mod.example, ,https://b.example", TRUSTED_PROXY_HOPS: "1" },
      defaultSites: () => [{ id: "demo", origins: [] }],
    });
    expect(runtime.sites.map((site) => site.id)).toEqual(["demo"]);
    expect(runtime.moderationOrigins).toEqual(["https://mod.example", "https://b.example"]);
    expect(runtime.trustedProxyHops).toBe(1);
  });

  it("loads the IP-hash key from the data folder, creating it only where the caller owns the store", () => {
    const owned = join(dir, "owned");
    const key = loadIpHashKey({}, { dataDir: owned, createIfMissing: true });
    expect(readFileSync(join(owned, "ip-hash.key"), "utf8").trim()).toBe(key);
    expect(loadIpHashKey({}, { dataDir: owned, createIfMissing: false })).toBe(key);
    expect(() => loadIpHashKey({}, { dataDir: join(dir, "shared"), createIfMissing: false })).toThrow(IpHashKeyError);
    expect(existsSync(join(dir, "shared", "ip-hash.key"))).toBe(false);
    expect(loadIpHashKey({ IP_HASH_KEY: "from-the-environment" }, { dataDir: owned, createIfMissing: true })).toBe("from-the-environment");
  });

  it("builds the app's dependencies once, with the parts a test or host replaces", async () => {
    const { store } = await freshStore();
    const runtime = createRuntime({ env: {}, sites: [{ id: "demo", origins: [] }], ipHashKey: "test-ip-hash-key-0123456789", store });
    const app = createApp(runtime.appDeps({ devModeratorKey: "dev-key" }));
    expect(await (await app.request("/healthz")).json()).toEqual({ ok: true });
    const me = await app.request("/v1/mod/me", { headers: { authorization: "Bearer dev-key" } });
    expect(await me.json()).toEqual({ name: "dev", role: "admin", sites: [{ id: "demo", name: "demo" }] });
  });

  it("says what is missing when the app needs a store or a key the runtime was not given", () => {
    expect(() => createRuntime({ env: {}, sites: [{ id: "demo", origins: [] }] }).appDeps()).toThrow(/store/);
  });
});
