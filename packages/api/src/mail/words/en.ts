import type { MailWords } from "./types.ts";

/** English. */
export const en: MailWords = {
  language: "en",
  confirmation: {
    subject: (site) => `Confirm your email for comments on ${site}`,
    intro: (kind, title) =>
      kind === "replies"
        ? `You asked to be emailed when someone replies to your comment on “${title}”. Please confirm that this is your address.`
        : `You asked to be emailed about new comments on “${title}”. Please confirm that this is your address.`,
    action: "Confirm my email",
    ignore: "If you did not ask for this, ignore this mail: nothing more will be sent to you.",
  },
  notification: {
    subject: (kind, count, countText, title) =>
      kind === "replies"
        ? count === 1 ? `New reply to your comment on “${title}”` : `${countText} new replies to your comment on “${title}”`
        : count === 1 ? `New comment on “${title}”` : `${countText} new comments on “${title}”`,
    intro: (kind, count, countText, title) =>
      kind === "replies"
        ? `${count === 1 ? "Someone replied" : `${countText} replies came`} to your comment on “${title}”.`
        : `${count === 1 ? "A new comment was" : `${countText} new comments were`} posted on “${title}”.`,
    wrote: (name) => `${name} wrote:`,
    read: "Read the conversation",
    why: (kind, site) => (kind === "replies" ? `You get this mail because you asked for replies to your comment on ${site}.` : `You get this mail because you follow this conversation on ${site}.`),
  },
  statement: {
    subject: (site) => `Your comment on ${site} was not published`,
    intro: (site, title) => `A moderator of ${site} decided not to publish your comment on “${title}”. This mail explains why.`,
    began: "Your comment began:",
    decision: (date) => `Decision: not published (rejected) on ${date}.`,
    why: "Why:",
    reasons: {
      captcha_low_score: "Our automatic check was not sure the comment was sent by a person, so a moderator looked at it",
      captcha_unavailable: "Our automatic check against automated posting could not run, so a moderator looked at it",
      too_many_links: "The comment has more links than the site allows",
      suspect_words: "The comment uses words the site reviews before publishing",
      first_comment: "First comments on this site are reviewed before they are published",
      reader_flags: "Readers reported the comment",
      external_hook: "The site's moderation service held the comment for review",
      toxicity: "An automatic check found the language might be hurtful",
      banned_words: "The comment uses words the site does not allow",
      honeypot: "The form was filled in the way automated programs fill it",
      moderator: "A moderator found that the comment does not follow the site's rules",
    },
    checkUnavailable: "An automatic check could not run, so a moderator looked at the comment",
    flagged: (count, countText) => `Readers reported the comment (${count === 1 ? "once" : `${countText} times`})`,
    appeal: "If you think this decision is wrong, you can ask the site to review it:",
    noAppeal: "If you think this decision is wrong, you can contact the site's editors.",
  },
  digest: {
    subject: (count, countText, site) => `${countText} ${count === 1 ? "comment is" : "comments are"} waiting for review on ${site}`,
    waiting: (count) => `Comments waiting for review: ${count}`,
    oldest: (date, hours) => `Oldest waiting since ${date} (${hours} h)`,
    byReason: "By reason:",
    labels: {
      captcha_low_score: "low captcha score",
      captcha_unavailable: "captcha unavailable",
      too_many_links: "too many links",
      suspect_words: "suspect words",
      first_comment: "first comment",
      reader_flags: "reported by readers",
      external_hook: "moderation hook",
      toxicity: "toxicity",
      banned_words: "banned words",
      honeypot: "honeypot",
    },
    review: "Open the review page",
    why: (every) => `You get this summary every ${every} while comments wait for review.`,
  },
  unsubscribe: "Unsubscribe",
};
