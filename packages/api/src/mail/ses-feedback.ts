import type { Suppression } from "./suppression.ts";

/**
 * Reads the addresses to suppress from SES feedback delivered by Amazon SNS to a Lambda function: each
 * record's `Sns.Message` is an SES notification (identity notifications, `notificationType`) or event
 * (configuration-set event publishing, `eventType`). Permanent bounces and complaints suppress their
 * recipients; transient and undetermined bounces, deliveries and every other event suppress nobody.
 * Malformed records are skipped (and counted), never thrown: one bad record must not block the batch.
 */
export function suppressionsFromSnsEvent(event: unknown): { suppressions: Suppression[]; skipped: number } {
  const records = isObject(event) && Array.isArray(event.Records) ? event.Records : [];
  const suppressions: Suppression[] = [];
  let skipped = 0;
  for (const record of records) {
    const message = isObject(record) && isObject(record.Sns) ? record.Sns.Message : undefined;
    let notification: unknown;
    try {
      notification = typeof message === "string" ? JSON.parse(message) : undefined;
    } catch {
      notification = undefined;
    }
    if (!isObject(notification)) {
      skipped++;
      continue;
    }
    suppressions.push(...suppressionsFromSesNotification(notification));
  }
  return { suppressions: dedupe(suppressions), skipped };
}

/** The addresses one SES bounce or complaint notification asks to suppress. */
export function suppressionsFromSesNotification(notification: unknown): Suppression[] {
  if (!isObject(notification)) return [];
  const type = notification.notificationType ?? notification.eventType;
  if (type === "Bounce" && isObject(notification.bounce)) {
    const bounce = notification.bounce;
    if (bounce.bounceType !== "Permanent") return [];
    return recipients(bounce.bouncedRecipients).map((address) => ({ address, reason: "bounce", at: timestamp(bounce.timestamp) }));
  }
  if (type === "Complaint" && isObject(notification.complaint)) {
    const complaint = notification.complaint;
    return recipients(complaint.complainedRecipients).map((address) => ({ address, reason: "complaint", at: timestamp(complaint.timestamp) }));
  }
  return [];
}

function recipients(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => (isObject(entry) && typeof entry.emailAddress === "string" && entry.emailAddress.includes("@") ? [entry.emailAddress.trim()] : []));
}

function timestamp(value: unknown): string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : new Date().toISOString();
}

function dedupe(suppressions: Suppression[]): Suppression[] {
  const seen = new Map<string, Suppression>();
  for (const suppression of suppressions) seen.set(`${suppression.reason}:${suppression.address.toLowerCase()}`, suppression);
  return [...seen.values()];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
