import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApiLambda } from "../scripts/build-lambda.ts";

/** The deployable API bundle must never carry the dev mailbox, its page or the SMTP library. */
describe("the Lambda API bundle and mail", () => {
  let dir: string;
  let code: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mail-bundle-"));
    code = readFileSync((await buildApiLambda(dir)).file, "utf8");
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has no dev mailbox, no /dev/mail page and no SMTP client", () => {
    expect(code.length).toBeGreaterThan(10_000);
    for (const marker of ["Dev mailbox", "dev-mailbox", "/dev/mail", "nodemailer", "smtp-connection"]) expect(code).not.toContain(marker);
  });
});
