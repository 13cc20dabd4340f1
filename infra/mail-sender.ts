/**
 * The sender of a stage's mail, read at deploy time from `MAIL_FROM` (the same variable the mail code reads):
 * `comments@news.example` or `Comments <comments@news.example>`. The address is the SES identity the deploy
 * creates and the only identity the mail function may send from.
 *
 * Zero SST imports, so the plan checks can read it.
 */
export interface MailSender {
  /** The `From` header as configured, display name included. */
  from: string;
  /** The bare address: the SES email identity. */
  address: string;
}

const senderPattern = /^(?:([^<>]*)<([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>|([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+))$/;

/**
 * Reads `MAIL_FROM` from the deploy's environment; throws an Error naming the variable when it is missing or
 * not an address, so a deploy without a sender fails before anything is created.
 */
export function mailSender(env: Record<string, string | undefined>): MailSender {
  const from = env.MAIL_FROM?.trim() ?? "";
  if (!from) throw new Error("MAIL_FROM is not set: the address mail is sent from (e.g. MAIL_FROM='Comments <comments@news.example>' npx sst deploy)");
  const match = senderPattern.exec(from);
  if (!match) throw new Error(`MAIL_FROM=${from} must be an address such as comments@news.example or Comments <comments@news.example>`);
  return { from, address: (match[2] ?? match[3])! };
}

/** The item types whose writes can call for mail (`mailEventOf` in packages/api/src/mail/stream.ts). */
export const mailStreamItemTypes = ["comment", "subscription"] as const;
