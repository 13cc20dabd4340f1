import * as z from "zod";
import { reasonDetails, type Phase, type PhaseContext, type PhaseFinding } from "@comments/core";
import { deliveryHeader, signatureHeader, signWebhook, timestampHeader } from "../../notify/signature.ts";

/** What the hook receives: the candidate comment, without email, IP or hashes. */
export interface ExternalHookRequest {
  site: string;
  thread: string | null;
  body: string;
  bodyHtml: string;
  author: { name: string | null };
  captchaScore: number | null;
}

/** What the hook must answer. Extra keys are ignored. */
export const externalHookAnswerSchema = z.object({
  status: z.enum(["published", "pending", "spam"]),
  reason: z.string().max(500).optional(),
});

/** Options for {@link externalHookPhase}. */
export interface ExternalHookOptions {
  fetch?: typeof fetch;
  /** When set, requests are signed like webhooks, so the hook can check they come from this service. */
  signingKey?: string | undefined;
  now?: () => Date;
}

const maxAnswerBytes = 64 * 1024;

/**
 * A phase that asks the site's `moderation.externalHook` endpoint about each comment. `published` adds
 * nothing, `pending` queues, `spam` hides; a slow, failing or malformed answer queues the comment (reason
 * `external_hook`), so the hook can never lose one. Sites without a hook are skipped.
 */
export function externalHookPhase(options: ExternalHookOptions = {}): Phase {
  const send = options.fetch ?? fetch;
  return async (context) => {
    const hook = context.site.moderation.externalHook;
    if (!hook) return undefined;
    const body = JSON.stringify(hookRequest(context));
    const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
    let text: string;
    try {
      const response = await send(hook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "user-agent": "comments-external-hook/1",
          ...(options.signingKey
            ? { [timestampHeader]: String(timestamp), [signatureHeader]: signWebhook(options.signingKey, timestamp, body), [deliveryHeader]: crypto.randomUUID() }
            : {}),
        },
        body,
        redirect: "error",
        signal: AbortSignal.timeout(hook.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return unavailable(`HTTP ${response.status}`);
      }
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: string }).name;
      return unavailable(name === "TimeoutError" ? `no answer within ${hook.timeoutMs} ms` : "could not be reached");
    }
    if (text.length > maxAnswerBytes) return unavailable("answer too large");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return unavailable("answer is not JSON");
    }
    const answer = externalHookAnswerSchema.safeParse(json);
    if (!answer.success) return unavailable('answer must be {"status": "published"|"pending"|"spam", "reason"?}');
    return findingFor(answer.data);
  };
}

function hookRequest(context: PhaseContext): ExternalHookRequest {
  return {
    site: context.site.id,
    thread: context.threadId ?? null,
    body: context.body,
    bodyHtml: context.bodyHtml,
    author: { name: context.authorName ?? null },
    captchaScore: context.captcha.kind === "passed" ? context.captcha.score : null,
  };
}

function findingFor(answer: z.infer<typeof externalHookAnswerSchema>): PhaseFinding | undefined {
  const reason = answer.reason?.trim().replace(/\s+/g, " ");
  if (answer.status === "published") return undefined;
  if (answer.status === "pending") return { status: "pending", reason: "external_hook", detail: reasonDetails.externalHookHeld(reason), aboutLanguage: true };
  return { status: "spam", reason: "external_hook", detail: reasonDetails.externalHookSpam(reason) };
}

const unavailable = (why: string): PhaseFinding => ({ status: "pending", reason: "external_hook", detail: reasonDetails.externalHookUnavailable(why) });
