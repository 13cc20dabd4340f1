/**
 * A site's mail settings (`notify` in its config, DESIGN §6.5), with the defaults the contract gives. The
 * site schema gains these fields when mail is wired; the decisions take them as plain values meanwhile.
 */
export interface MailSettings {
  /** At most one notification per address per thread per this many minutes (default 10). */
  gatherMinutes: number;
  /** Statements of reasons for rejected comments (default on). */
  decisionEmails: boolean;
  moderatorDigest: DigestSettings | null;
}

/** `notify.moderatorDigest`: who gets the summary of the queue, and how often. */
export interface DigestSettings {
  emails: readonly string[];
  every: "hour" | "day";
}

/** The contract's defaults: gather 10 minutes, statements on, no digest. */
export const defaultMailSettings: MailSettings = { gatherMinutes: 10, decisionEmails: true, moderatorDigest: null };
