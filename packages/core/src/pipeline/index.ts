export * from "./context.ts";
export * from "./moderate.ts";
export { findWords } from "./phases/find-words.ts";
export { captchaScorePhase } from "./phases/captcha-score.ts";
export { honeypotPhase } from "./phases/honeypot.ts";
export { bannedWordsPhase } from "./phases/banned-words.ts";
export { suspectWordsPhase } from "./phases/suspect-words.ts";
export { linkCountPhase } from "./phases/link-count.ts";
export { firstCommentPhase } from "./phases/first-comment.ts";
