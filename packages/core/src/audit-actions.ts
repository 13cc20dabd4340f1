/** Decisions that change a comment's status. */
export const statusDecisionActions = ["approve", "reject", "spam"] as const;
export type StatusDecisionAction = (typeof statusDecisionActions)[number];

/** Decisions that put a published comment in (or take it out of) the thread's "Featured" list. */
export const featureActions = ["feature", "unfeature"] as const;
export type FeatureAction = (typeof featureActions)[number];

/** Moderation decisions a moderator can take on one comment. */
export const decisionActions = [...statusDecisionActions, ...featureActions] as const;
export type DecisionAction = (typeof decisionActions)[number];

/** True for `feature` / `unfeature`. */
export const isFeatureAction = (action: DecisionAction): action is FeatureAction => (featureActions as readonly string[]).includes(action);

/** Every action the audit log records: the decisions, bans, and readers' data requests. */
export const auditActions = [...decisionActions, "ban", "unban", "data_export", "erase"] as const;
export type AuditAction = (typeof auditActions)[number];

/** The status a decision moves a comment to. */
export const statusForDecision: Record<StatusDecisionAction, "published" | "rejected" | "spam"> = {
  approve: "published",
  reject: "rejected",
  spam: "spam",
};

/** The plain-word note of the audit entries the service writes itself (the moderator's own notes are kept as typed). */
export const auditNotes = {
  ban: (reason: string, expiresAt: string | null) => (expiresAt ? `${reason} (until ${expiresAt})` : reason),
  unban: (banId: string) => `ban ${banId} lifted`,
  purge: (banId: string) => `purged with ban ${banId}`,
  dataExport: (count: number) => `${count} comments exported`,
  erase: () => "reader's data erased on request",
} as const;
