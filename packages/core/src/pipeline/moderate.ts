import type { ModerationDecision, Phase, PhaseContext, PhaseFinding } from "./context.ts";
import { bannedWordsPhase } from "./phases/banned-words.ts";
import { captchaScorePhase } from "./phases/captcha-score.ts";
import { firstCommentPhase } from "./phases/first-comment.ts";
import { honeypotPhase } from "./phases/honeypot.ts";
import { linkCountPhase } from "./phases/link-count.ts";
import { suspectWordsPhase } from "./phases/suspect-words.ts";

/** The content phases, in the order they run (after the gates: ban, closed thread, rate limit, parent, captcha). */
export const contentPhases: readonly Phase[] = [
  captchaScorePhase,
  honeypotPhase,
  bannedWordsPhase,
  suspectWordsPhase,
  linkCountPhase,
  firstCommentPhase,
];

/**
 * Runs every phase in order and combines the findings: any spam finding wins (and only spam reasons are
 * kept), else any pending finding queues the comment, else it is published. `outsidePhases` (calls to other
 * services: hooks, toxicity models) run last and are skipped for a comment that is already spam — their answer
 * could not change the decision, and they may cost money per call.
 */
export async function moderate(
  context: PhaseContext,
  phases: readonly Phase[] = contentPhases,
  outsidePhases: readonly Phase[] = [],
): Promise<ModerationDecision> {
  const findings: PhaseFinding[] = [];
  for (const phase of phases) {
    const finding = await phase(context);
    if (finding) findings.push(finding);
  }
  for (const phase of outsidePhases) {
    if (findings.some((f) => f.status === "spam")) break;
    const finding = await phase(context);
    if (finding) findings.push(finding);
  }
  const spam = findings.filter((f) => f.status === "spam");
  const chosen = spam.length > 0 ? spam : findings;
  const status = spam.length > 0 ? "spam" : findings.length > 0 ? "pending" : "published";
  const languageReasons = status === "pending" ? [...new Set(chosen.filter((f) => f.aboutLanguage).map((f) => f.reason))] : [];
  return { status, reasons: chosen.map((f) => f.reason), details: chosen.map((f) => f.detail), languageReasons };
}
