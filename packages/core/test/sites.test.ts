import { describe, expect, it } from "vitest";
import { parseSitesConfig, SiteConfigError } from "../src/sites.ts";

const parse = (sites: unknown[], env: Record<string, string> = {}, stage?: string) =>
  parseSitesConfig({ sites }, { env, ...(stage ? { stage } : {}) });

describe("site configuration", () => {
  it("fills every default and merges nested objects", () => {
    const [site] = parse([{ id: "demo", origins: ["http://localhost:3000"], captcha: { minScore: 0.2 } }]);
    expect(site).toMatchObject({
      id: "demo",
      name: "demo",
      captcha: { provider: "test", siteKey: null, secretEnv: null, verifyUrl: null, timeoutMs: 3000, minScore: 0.2, reviewBelow: 0.7, action: "comment", hostnames: [] },
      moderation: { premoderateFirstComment: false, maxLinks: 2, suspectWords: [], bannedWords: [], flagThreshold: 3 },
      rateLimit: { perMinute: 5, perHour: 30 },
      limits: { maxBodyLength: 5000 },
      closeAfterDays: null,
    });
  });

  it("refuses unknown fields and names them", () => {
    expect(() => parse([{ id: "demo", origins: [], captcha: { provder: "test" } }])).toThrow(/sites\[0\]\.captcha.*provder/s);
  });

  it("names the bad field of a wrong type", () => {
    expect(() => parse([{ id: "demo", origins: [], rateLimit: { perMinute: "five" } }])).toThrow(/sites\[0\]\.rateLimit\.perMinute/);
  });

  it("requires secretEnv for a real provider and names the field", () => {
    expect(() => parse([{ id: "a", origins: [], captcha: { provider: "turnstile" } }])).toThrow(/sites\[0\]\.captcha\.secretEnv/);
    expect(() => parse([{ id: "a", origins: [], captcha: { provider: "turnstile", secretEnv: "TS_SECRET" } }])).toThrow(/TS_SECRET is not set/);
    expect(parse([{ id: "a", origins: [], captcha: { provider: "turnstile", secretEnv: "TS_SECRET" } }], { TS_SECRET: "x" })).toHaveLength(1);
  });

  it("refuses the test provider when STAGE=production", () => {
    expect(() => parse([{ id: "a", origins: [] }], {}, "production")).toThrow(SiteConfigError);
    expect(() => parse([{ id: "a", origins: [] }], {}, "production")).toThrow(/"test" captcha provider is refused/);
  });

  it("refuses duplicate site ids and origins with paths", () => {
    expect(() => parse([{ id: "a", origins: [] }, { id: "a", origins: [] }])).toThrow(/unique/);
    expect(() => parse([{ id: "a", origins: ["https://a.example/path"] }])).toThrow(/origins/);
  });
});
