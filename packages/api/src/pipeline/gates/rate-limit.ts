import { rateLimited } from "@comments/store";
import type { Gate } from "../gate-context.ts";

/** Over the site's per-minute or per-hour count for this address: `429 rate_limited` with `Retry-After`. */
export const rateLimitGate: Gate = ({ site, reads, now }) => {
  if (reads.windows.minute >= site.rateLimit.perMinute) throw rateLimited(reads.windows.minuteEndsAt, now);
  if (reads.windows.hour >= site.rateLimit.perHour) throw rateLimited(reads.windows.hourEndsAt, now);
};
