/**
 * The shape of one language's table. Every text is a whole sentence with `{placeholders}`; sentences are
 * never glued together from pieces, so each language orders its words its own way. A plural text has one
 * form per CLDR plural category the language uses (`Intl.PluralRules`), and `{n}` is its formatted number.
 */

/** The CLDR plural categories (Arabic uses all six, English two, Chinese one). */
export const pluralCategories = ["zero", "one", "two", "few", "many", "other"] as const;
export type PluralCategory = (typeof pluralCategories)[number];

/** One form per plural category the language needs; `other` is always required. */
export type PluralText = Partial<Record<PluralCategory, string>> & { other: string };

/** Texts chosen by a number: `{n}` is the number as the language writes it. */
export const pluralKeys = [
  "heading",
  "tooLong",
  "nameTooLong",
  "rateLimited",
  // likes, sorting, featured comments, permalinks, feeds, live updates
  "newComments",
  "moreReplies",
] as const;
export type PluralKey = (typeof pluralKeys)[number];

/** Every plain text of the widget; `{name}` is a reader's name (shown isolated for bidirectional text). */
export const textKeys = [
  "loading",
  "loadFailed",
  "tryAgain",
  "empty",
  "loadMore",
  "reply",
  "cancel",
  "replyingTo",
  "inReplyTo",
  "formTitle",
  "comment",
  "name",
  "email",
  "emailHint",
  "website",
  "post",
  "posting",
  "bodyEmpty",
  "nameEmpty",
  "invalidEmail",
  "invalidUrl",
  "pendingBadge",
  "awaitingModeration",
  "published",
  "retrying",
  "notSent",
  "unsent",
  "captchaMissing",
  "captchaLoadFailed",
  "testCaptcha",
  "testCaptchaFail",
  "closed",
  "error.captcha_failed",
  "error.captcha_score_too_low",
  "error.author_banned",
  "error.duplicate_comment",
  "error.parent_not_found",
  "error.payload_too_large",
  "error.site_not_found",
  "error.origin_not_allowed",
  "error.other",
  // sign-in and editing
  "signedInAs",
  "signOut",
  "signIn",
  "signInFailed",
  "verified",
  "staff",
  "edited",
  "edit",
  "delete",
  "save",
  "editLabel",
  "editableFor",
  "confirmDelete",
  "deletedComment",
  "commentDeleted",
  "editSaved",
  "editQueued",
  "cannotChange",
  "notSaved",
  "notifyMe",
  "notifyReplies",
  "notifyThread",
  "notifyHint",
  "notifyNeedsEmail",
  // the nudge: a warning about a comment's language before it is queued
  "nudge",
  "submitForReview",
  // likes, sorting, featured comments, permalinks, feeds, live updates
  "featured",
  "sortBy",
  "sort.oldest",
  "sort.newest",
  "sort.top",
  "like",
  "likeFailed",
  "link",
  "linkCopied",
  "feed",
] as const;
export type TextKey = (typeof textKeys)[number];

/** One language's table: every key, no more. */
export type Messages = Record<TextKey, string> & Record<PluralKey, PluralText>;

/** The placeholders a text uses, e.g. `["name"]` for "Replying to {name}". */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}
