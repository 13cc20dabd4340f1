/// <reference path="../sst-env.d.ts" />
import { Resource } from "sst";
import { createRuntime, type DynamoStreamEvent } from "@comments/api";
import { createMailServices, mailStreamHandler, suppressionsFromSnsEvent } from "@comments/api/mail";
import { createHasher } from "@comments/api/hashing";

/**
 * Mail on AWS, off the request path (DESIGN §6.5): the table stream feeds `stream` (confirmation mails,
 * reply/thread notifications, statements of reasons), a schedule runs `timer` (gathered notifications that
 * came due, moderator digests), and SES bounce/complaint notifications (SNS) reach `feedback`, which adds the
 * address to the suppression list. Built once per container from the same composition root as the API.
 */
function build() {
  const runtime = createRuntime({
    env: process.env,
    ipHashKey: Resource.IpHashKey.value,
    table: { name: Resource.CommentTable.name },
    checkCaptchaSecrets: false,
  });
  const publicUrl = runtime.env.PUBLIC_URL ?? "";
  const mail = createMailServices({
    runtime: "aws",
    env: runtime.env,
    store: runtime.store!,
    sites: runtime.sites,
    ipHashKey: runtime.ipHashKey!,
    publicUrl,
    reviewUrl: `${publicUrl}/moderate`,
    logger: runtime.logger,
  });
  return { runtime, mail, stream: mailStreamHandler(mail.worker, runtime.logger), hasher: createHasher(runtime.ipHashKey!) };
}

let built: ReturnType<typeof build> | undefined;
const parts = () => (built ??= build());

/** Table stream consumer: the mail each write calls for. */
export const stream = (event: DynamoStreamEvent) => parts().stream(event);

/** Scheduled: gathered notifications that are due, then the moderator digests. */
export async function timer(): Promise<void> {
  const { mail } = parts();
  await mail.worker.flushDue();
  await mail.worker.sendDigests();
}

/** SES event notifications via SNS: bounced and complaining addresses are never mailed again. */
export async function feedback(event: unknown): Promise<{ suppressed: number; skipped: number }> {
  const { runtime, hasher } = parts();
  const { suppressions, skipped } = suppressionsFromSnsEvent(event);
  for (const suppression of suppressions) {
    const at = new Date(suppression.at);
    await runtime.store!.suppressAddress(hasher.mailAddress(suppression.address), suppression.reason, Number.isNaN(at.getTime()) ? new Date() : at);
  }
  return { suppressed: suppressions.length, skipped };
}
