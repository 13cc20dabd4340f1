import { describe, expect, it } from "vitest";
import { devMailFrom, mailConfigFromEnv, mailerFor, smtpMailer } from "@comments/api/mail";

describe("choosing the mail transport from the environment", () => {
  it("uses SMTP wherever SMTP_URL is set", () => {
    const env = { SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "Comments <comments@news.example>" };
    expect(mailConfigFromEnv(env, "local")).toEqual({ transport: "smtp", from: "Comments <comments@news.example>", url: "smtp://127.0.0.1:2525" });
    expect(mailConfigFromEnv(env, "aws")).toMatchObject({ transport: "smtp" });
    expect(mailerFor(mailConfigFromEnv(env, "local")).transport).toBe("smtp");
  });

  it("uses SES on AWS, in the function's region, with an optional configuration set", () => {
    const env = { MAIL_FROM: "comments@news.example", AWS_REGION: "eu-central-1", MAIL_CONFIGURATION_SET: "comments-feedback" };
    expect(mailConfigFromEnv(env, "aws")).toEqual({ transport: "ses", from: "comments@news.example", region: "eu-central-1", configurationSetName: "comments-feedback" });
    expect(mailerFor(mailConfigFromEnv(env, "aws")).transport).toBe("ses");
  });

  it("keeps mails in the dev mailbox on one machine without SMTP_URL, MAIL_FROM optional", () => {
    expect(mailConfigFromEnv({}, "local")).toEqual({ transport: "dev-mailbox", from: devMailFrom });
    expect(mailerFor(mailConfigFromEnv({}, "local")).transport).toBe("dev-mailbox");
  });

  it("names the variable that cannot work", () => {
    expect(() => mailConfigFromEnv({ SMTP_URL: "http://mail.example" , MAIL_FROM: "c@news.example" }, "local")).toThrow("SMTP_URL must start with smtp:// or smtps://");
    expect(() => mailConfigFromEnv({ SMTP_URL: "not a url", MAIL_FROM: "c@news.example" }, "local")).toThrow("SMTP_URL must be a URL such as smtp://127.0.0.1:2525");
    expect(() => mailConfigFromEnv({ SMTP_URL: "smtp://127.0.0.1:2525" }, "local")).toThrow("MAIL_FROM is not set; it is required with SMTP_URL");
    expect(() => mailConfigFromEnv({}, "aws")).toThrow(/^MAIL_FROM is not set; it is required to send mail with SES/);
    expect(() => mailConfigFromEnv({ MAIL_FROM: "comments" }, "local")).toThrow(/^MAIL_FROM must be an address/);
    expect(() => smtpMailer({ url: "smtp://" })).toThrow(/^SMTP_URL /);
  });
});
