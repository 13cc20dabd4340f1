import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bearerToken, verifySsoToken } from "../packages/api/src/auth/sso.ts";

const secret = "host-site-signing-secret-0123456789";
const now = new Date("2026-05-01T12:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const options = { secret, siteId: "demo", now };

function sign(claims: Record<string, unknown>, { alg = "HS256", key = secret } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(key));
}
const reader = { sub: "reader-42", name: "Ada Lovelace", exp: nowSeconds + 600 };

async function refusal(token: string) {
  try {
    await verifySsoToken(token, options);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("token was accepted");
}

describe("a reader token signed by the host site", () => {
  it("signs the reader in with the claims the widget shows", async () => {
    const token = await sign({
      ...reader,
      email: "ada@example.com",
      email_verified: true,
      url: "https://ada.example.com",
      avatar: "https://cdn.example.com/ada.png",
      role: "staff",
      aud: "demo",
      iat: nowSeconds,
    });
    expect(await verifySsoToken(token, options)).toEqual({
      sub: "reader-42",
      name: "Ada Lovelace",
      email: "ada@example.com",
      emailVerified: true,
      url: "https://ada.example.com",
      avatar: "https://cdn.example.com/ada.png",
      staff: true,
    });
  });

  it("needs only sub, name and exp", async () => {
    expect(await verifySsoToken(await sign(reader), options)).toMatchObject({
      email: null,
      emailVerified: false,
      url: null,
      avatar: null,
      staff: false,
    });
  });

  it("allows 60 seconds of clock skew on exp, and no more", async () => {
    expect(await verifySsoToken(await sign({ ...reader, exp: nowSeconds - 59 }), options)).toMatchObject({ sub: "reader-42" });
    expect((await refusal(await sign({ ...reader, exp: nowSeconds - 61 }))).code).toBe("invalid_token");
  });

  it("accepts an aud that names this site, alone or in a list", async () => {
    expect(await verifySsoToken(await sign({ ...reader, aud: ["other", "demo"] }), options)).toMatchObject({ sub: "reader-42" });
  });

  const refused: Array<[string, () => Promise<string>]> = [
    ["a wrong secret", () => sign(reader, { key: "another-secret-entirely-0123456789" })],
    ["an expired token", () => sign({ ...reader, exp: nowSeconds - 3600 })],
    ["alg none", async () => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      return `${part({ alg: "none", typ: "JWT" })}.${part(reader)}.`;
    }],
    ["HS512", () => sign(reader, { alg: "HS512" })],
    ["a missing sub", () => sign({ name: reader.name, exp: reader.exp })],
    ["a missing name", () => sign({ sub: reader.sub, exp: reader.exp })],
    ["a blank name", () => sign({ ...reader, name: "   " })],
    ["a missing exp", () => sign({ sub: reader.sub, name: reader.name })],
    ["a sub over 128 characters", () => sign({ ...reader, sub: "x".repeat(129) })],
    ["an aud naming another site", () => sign({ ...reader, aud: "other-site" })],
    ["an avatar that is not https", () => sign({ ...reader, avatar: "http://cdn.example.com/a.png" })],
    ["a javascript: url", () => sign({ ...reader, url: "javascript:alert(1)" })],
    ["garbage", async () => "not.a.token"],
    ["an empty string", async () => ""],
  ];
  it.each(refused)("refuses %s with invalid_token", async (_what, make) => {
    const error = await refusal(await make());
    expect(error.code).toBe("invalid_token");
    expect(error.message).toBe("Your sign-in has expired or is not valid. Please sign in again.");
  });
});

describe("the Authorization header", () => {
  it("carries the token after Bearer", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken(undefined)).toBeNull();
  });

  it("refuses any other scheme", () => {
    expect(() => bearerToken("Basic dXNlcjpwYXNz")).toThrow(expect.objectContaining({ code: "invalid_token" }));
  });
});
