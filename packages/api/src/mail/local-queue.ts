import type { MailEvents } from "../deps.ts";
import type { Logger } from "../logger.ts";
import { mailJob, type MailWorker } from "./worker.ts";

/** The local server's mail queue: {@link MailEvents} for the app, plus what the host and tests drive. */
export interface LocalMailQueue extends MailEvents {
  /** The timer's work now: due gatherings, then digests. */
  tick(): Promise<void>;
  /** Resolves when every queued job has run. */
  idle(): Promise<void>;
  /** Stops the timer (queued jobs still run). */
  stop(): void;
}

/**
 * Mail for `npm start`: jobs run one at a time in the background, after the write that caused them, so no
 * request waits on a mail service and a failure never reaches a reader (it is logged; the sender has already
 * retried). One at a time also keeps a burst of replies from racing on the same gathering. A timer flushes
 * gathered notifications and sends digests every `tickMs` (default one minute).
 */
export function localMailQueue(worker: MailWorker, options: { logger: Logger; tickMs?: number }): LocalMailQueue {
  let tail: Promise<void> = Promise.resolve();
  const run = (what: string, job: () => Promise<void>) => {
    const next = tail.then(() => mailJob(options.logger, what, job));
    tail = next;
    return next;
  };
  const tick = () => run("timer", async () => {
    await worker.flushDue();
    await worker.sendDigests();
  });
  const timer = setInterval(() => void tick(), options.tickMs ?? 60_000);
  timer.unref();
  return {
    subscriptionCreated: (subscription) => void run("confirmation", () => worker.subscriptionCreated(subscription)),
    commentPublished: (_site, comment) => void run("notification", () => worker.commentPublished(comment)),
    commentDecided: (_site, comment, fromStatus) => void run("statement", () => worker.commentDecided(comment, fromStatus)),
    tick,
    async idle() {
      let seen: Promise<void> | null = null;
      while (seen !== tail) {
        seen = tail;
        await seen;
      }
    },
    stop: () => clearInterval(timer),
  };
}
