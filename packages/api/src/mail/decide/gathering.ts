import type { NotifiedComment } from "../compose/notification.ts";

/**
 * What is remembered per address and thread between notification mails: when the last one went, which
 * comments it carried (so a replayed event is not mailed twice), and what waits for the next one.
 */
export interface GatherState {
  lastSentAt: string | null;
  lastSentIds: readonly string[];
  waiting: readonly NotifiedComment[];
}

/** What to do now: mail `send` (oldest first) at once, or nothing until `sendAt`. */
export interface GatherStep {
  state: GatherState;
  send: NotifiedComment[] | null;
  /** When the waiting comments are due; null when nothing waits. */
  sendAt: string | null;
}

/** Nothing sent yet, nothing waiting. */
export const emptyGatherState: GatherState = { lastSentAt: null, lastSentIds: [], waiting: [] };

/**
 * A new published comment for one address and thread. The first is mailed at once; any that follow within
 * `gatherMinutes` of the last mail wait and are gathered into the next one (see {@link flushGathered}).
 * @example gatherComment(undefined, comment, now, 10).send // [comment]
 */
export function gatherComment(state: GatherState | undefined, comment: NotifiedComment, now: Date, gatherMinutes: number): GatherStep {
  const current = state ?? emptyGatherState;
  const known = current.lastSentIds.includes(comment.id) || current.waiting.some((waiting) => waiting.id === comment.id);
  return flushGathered(known ? current : { ...current, waiting: [...current.waiting, comment] }, now, gatherMinutes);
}

/** The timer's check: the waiting comments once `gatherMinutes` have passed since the last mail. */
export function flushGathered(state: GatherState, now: Date, gatherMinutes: number): GatherStep {
  if (state.waiting.length === 0) return { state, send: null, sendAt: null };
  const dueAt = state.lastSentAt === null ? now.getTime() : Date.parse(state.lastSentAt) + gatherMinutes * 60_000;
  if (now.getTime() < dueAt) return { state, send: null, sendAt: new Date(dueAt).toISOString() };
  const send = [...state.waiting].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { state: { lastSentAt: now.toISOString(), lastSentIds: send.map((comment) => comment.id), waiting: [] }, send, sendAt: null };
}
