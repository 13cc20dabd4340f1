import { reasonDetails } from "../../reasons.ts";
import type { Phase } from "../context.ts";

/** A filled honeypot field (`website`, hidden from people) means a bot filled every input it saw. */
export const honeypotPhase: Phase = ({ website }) =>
  website !== undefined && website.trim() !== "" ? { status: "spam", reason: "honeypot", detail: reasonDetails.honeypot() } : undefined;
