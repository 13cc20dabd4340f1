import type { PipelineKind } from "@comments/core";
import type { Gate } from "../gate-context.ts";
import { banGate } from "./ban.ts";
import { captchaGate } from "./captcha.ts";
import { closedThreadGate } from "./closed-thread.ts";
import { parentGate } from "./parent.ts";
import { rateLimitGate } from "./rate-limit.ts";

export { banGate, captchaGate, closedThreadGate, parentGate, rateLimitGate };
export { isThreadClosed } from "./closed-thread.ts";

/**
 * The gates of each write, in the order they run. `create` keeps the contract's order on POST (DESIGN.md §3):
 * ban → thread closed → rate limit → parent → captcha. An edit will add its own list next to it.
 */
export const gates = {
  create: [banGate, closedThreadGate, rateLimitGate, parentGate, captchaGate],
} as const satisfies Partial<Record<PipelineKind, readonly Gate[]>>;
