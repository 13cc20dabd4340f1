import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { clientIpResolver, type ClientIpOptions } from "@comments/api";
import type { LocalServer } from "@comments/local";
import { commentBody, startApiServer } from "./support/harness.ts";

const socketAddress = "192.0.2.1";

/** Resolves the client address of one request through a real Hono app, the socket being `socketAddress`. */
async function resolve(options: Omit<ClientIpOptions, "peer">, headers: Record<string, string>) {
  const resolver = clientIpResolver({ ...options, peer: () => socketAddress });
  const app = new Hono().get("/", (c) => c.text(resolver(c) ?? "(none)"));
  return (await app.request("/", { headers })).text();
}

describe("where the client address comes from", () => {
  it("uses the socket address and ignores forwarding headers a client can forge by default", async () => {
    const forged = { "x-forwarded-for": "198.51.100.7", "x-real-ip": "198.51.100.8", "cloudfront-viewer-address": "198.51.100.9:443", forwarded: "for=198.51.100.10" };
    expect(await resolve({}, forged)).toBe(socketAddress);
    expect(await resolve({ trustedProxyHops: 0 }, forged)).toBe(socketAddress);
  });

  it.each([
    [1, "198.51.100.7", "198.51.100.7"],
    [1, "6.6.6.6, 198.51.100.7", "198.51.100.7"], // what the client wrote itself comes first and is skipped
    [1, " 6.6.6.6 ,198.51.100.7 ", "198.51.100.7"],
    [2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"],
    [1, "2001:db8::7", "2001:db8::7"],
    [1, "not-an-address", socketAddress],
    [1, "198.51.100.7, not-an-address", socketAddress],
    [1, "", socketAddress],
    [2, "198.51.100.7", socketAddress], // fewer entries than trusted hops: the header was not written by our proxies
    [1, "198.51.100.7:4711", socketAddress],
  ])("with %i trusted proxy hop(s), X-Forwarded-For %j gives %s", async (hops, header, expected) => {
    expect(await resolve({ trustedProxyHops: hops }, { "x-forwarded-for": header })).toBe(expected);
  });

  it.each([
    ["203.0.113.9:4711", "203.0.113.9"],
    ["[2001:db8::9]:443", "2001:db8::9"],
    ["2001:db8::9:443", "2001:db8::9"],
    ["garbage", socketAddress],
    ["", socketAddress],
  ])("trusts CloudFront-Viewer-Address %j only when told to (→ %s)", async (header, expected) => {
    expect(await resolve({ trustCloudFront: true }, { "cloudfront-viewer-address": header })).toBe(expected);
    expect(await resolve({ trustCloudFront: false }, { "cloudfront-viewer-address": header })).toBe(socketAddress);
  });

  it("prefers CloudFront's viewer address over X-Forwarded-For when both are trusted", async () => {
    expect(await resolve({ trustCloudFront: true, trustedProxyHops: 1 }, { "cloudfront-viewer-address": "203.0.113.9:1", "x-forwarded-for": "198.51.100.7" })).toBe("203.0.113.9");
  });

  describe("the local server over HTTP", () => {
    let plain: LocalServer;
    let proxied: LocalServer;
    const start = (env: Record<string, string>) =>
      startApiServer({
        env,
        sites: [{ id: "demo", origins: [], rateLimit: { perMinute: 1, perHour: 100 } }],
        // The windows are fixed minutes: a clock standing mid-window keeps a slow run from crossing one.
        deps: { now: () => new Date("2026-05-04T10:30:30.000Z") },
      });
    beforeAll(async () => {
      [plain, proxied] = await Promise.all([start({}), start({ TRUSTED_PROXY_HOPS: "1" })]);
    });
    afterAll(async () => {
      await Promise.all([plain?.stop(), proxied?.stop()]);
    });

    const post = (server: LocalServer, body: string, forwardedFor: string) =>
      fetch(`http://127.0.0.1:${server.port}/v1/sites/demo/threads/ip/comments`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        body: JSON.stringify(commentBody({ body })),
      }).then((r) => r.status);

    it("counts the socket address, whatever X-Forwarded-For says, without TRUSTED_PROXY_HOPS", async () => {
      expect(await post(plain, "one", "198.51.100.1")).toBe(201);
      expect(await post(plain, "two", "198.51.100.2")).toBe(429);
    });

    it("counts the address our proxy appended with TRUSTED_PROXY_HOPS=1", async () => {
      expect(await post(proxied, "one", "198.51.100.1")).toBe(201);
      expect(await post(proxied, "two", "198.51.100.2")).toBe(201);
      // A forged first entry does not make a new reader: the proxy's entry is the same.
      expect(await post(proxied, "three", "6.6.6.6, 198.51.100.2")).toBe(429);
    });
  });
});
