/**
 * The sentences readers knew from the original comment box, word for word: the API answers with them and the
 * widget shows them. Their own module (no imports) so the widget bundles these five and not every API message.
 */
export const seedMessages = {
  bodyEmpty: "Please enter your comment!",
  nameEmpty: "Please enter your name here",
  captchaFailed: "Captcha verification failed!",
  captchaScoreTooLow: "CAPTCHA user score failed. Please contact us!",
  awaitingModeration: "Your comment is awaiting moderation.",
} as const;
