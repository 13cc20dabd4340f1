import type { MailMessage, Mailer } from "../message.ts";

/** A mail the dev mailbox kept, with when it arrived. */
export interface KeptMail {
  /** Increasing number, unique for the life of the mailbox. */
  id: number;
  receivedAt: string;
  message: MailMessage;
}

/** A {@link Mailer} that keeps mails in memory instead of sending them. */
export interface DevMailbox extends Mailer {
  /** The kept mails, newest first. */
  list(): KeptMail[];
  get(id: number): KeptMail | undefined;
  clear(): void;
}

/** Options for {@link devMailbox}. */
export interface DevMailboxOptions {
  /** How many mails are kept; older ones are dropped (default 50). */
  capacity?: number;
  now?: () => Date;
}

/**
 * The transport of `npm start` without `SMTP_URL`: keeps the last `capacity` mails in memory so a newcomer
 * can read every mail the service would send (see `devMailRoutes`). Nothing leaves the machine.
 * @example const mailbox = devMailbox({ capacity: 20 });
 */
export function devMailbox(options: DevMailboxOptions = {}): DevMailbox {
  const capacity = Math.max(1, options.capacity ?? 50);
  const now = options.now ?? (() => new Date());
  let kept: KeptMail[] = [];
  let nextId = 1;
  return {
    transport: "dev-mailbox",
    async send(message) {
      const mail = { id: nextId++, receivedAt: now().toISOString(), message: structuredClone(message) };
      kept = [mail, ...kept].slice(0, capacity);
      return { messageId: `dev-${mail.id}` };
    },
    list: () => kept.slice(),
    get: (id) => kept.find((mail) => mail.id === id),
    clear() {
      kept = [];
    },
  };
}
