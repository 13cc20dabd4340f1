import { messages } from "@comments/core/errors";
import { countLabels } from "./count-labels.ts";

/** Every text the widget shows a reader, in one language. */
export interface Strings {
  /** Writing direction of the language. */
  dir: "ltr" | "rtl";
  /** Heading of the thread; `n` is the already formatted number, `count` the raw one. */
  heading: (n: string, count: number) => string;
  loading: string;
  loadFailed: string;
  tryAgain: string;
  empty: string;
  loadMore: string;
  reply: string;
  cancel: string;
  replyingTo: (name: string) => string;
  inReplyTo: (name: string) => string;
  formTitle: string;
  comment: string;
  name: string;
  email: string;
  emailHint: string;
  website: string;
  post: string;
  posting: string;
  bodyEmpty: string;
  nameEmpty: string;
  tooLong: (max: string) => string;
  pendingBadge: string;
  awaitingModeration: string;
  published: string;
  retrying: string;
  notSent: string;
  unsent: string;
  rateLimited: (seconds: string) => string;
  captchaMissing: string;
  captchaLoadFailed: string;
  testCaptcha: string;
  testCaptchaFail: string;
  closed: string;
  /** Translations of server error codes; a code not listed shows the server's message as returned. */
  errors: Partial<Record<string, string>>;
}

const en: Strings = {
  dir: "ltr",
  heading: countLabels.en!,
  loading: "Loading comments…",
  loadFailed: "Comments could not load.",
  tryAgain: "Try again",
  empty: "No comments yet. Be the first to comment.",
  loadMore: "Load more comments",
  reply: "Reply",
  cancel: "Cancel",
  replyingTo: (name) => `Replying to ${name}`,
  inReplyTo: (name) => `in reply to ${name}`,
  formTitle: "Leave a comment",
  comment: "Comment",
  name: "Name",
  email: "Email (optional)",
  emailHint: "Never published.",
  website: "Website (optional)",
  post: "Post comment",
  posting: "Posting…",
  bodyEmpty: messages.bodyEmpty,
  nameEmpty: messages.nameEmpty,
  tooLong: (max) => `Your comment is too long (at most ${max} characters).`,
  pendingBadge: "Awaiting moderation",
  awaitingModeration: messages.awaitingModeration,
  published: "Your comment has been published.",
  retrying: "Connection problem. Trying again…",
  notSent: "Your comment could not be sent. It is saved on this device: press “Post comment” to try again.",
  unsent: "You have a comment that was not sent yet. Press “Post comment” to send it.",
  rateLimited: (s) => `Too many comments. Please wait ${s} seconds and try again.`,
  captchaMissing: "Please complete the captcha.",
  captchaLoadFailed: "The captcha could not load. Please try again.",
  testCaptcha: "Captcha score (test provider)",
  testCaptchaFail: "fail (token rejected)",
  closed: "This discussion is closed for new comments.",
  errors: {},
};

const fa: Strings = {
  dir: "rtl",
  heading: countLabels.fa!,
  loading: "در حال بارگذاری دیدگاه‌ها…",
  loadFailed: "دیدگاه‌ها بارگذاری نشد.",
  tryAgain: "تلاش دوباره",
  empty: "هنوز دیدگاهی نیست. نخستین نفر باشید.",
  loadMore: "دیدگاه‌های بیشتر",
  reply: "پاسخ",
  cancel: "لغو",
  replyingTo: (name) => `پاسخ به ${name}`,
  inReplyTo: (name) => `در پاسخ به ${name}`,
  formTitle: "دیدگاه خود را بنویسید",
  comment: "دیدگاه",
  name: "نام",
  email: "ایمیل (اختیاری)",
  emailHint: "هرگز منتشر نمی‌شود.",
  website: "وب‌سایت (اختیاری)",
  post: "فرستادن دیدگاه",
  posting: "در حال فرستادن…",
  bodyEmpty: "لطفاً دیدگاه خود را بنویسید!",
  nameEmpty: "لطفاً نام خود را اینجا وارد کنید",
  tooLong: (max) => `دیدگاه شما بیش از اندازه بلند است (حداکثر ${max} نویسه).`,
  pendingBadge: "در انتظار بررسی",
  awaitingModeration: "دیدگاه شما در انتظار بررسی است.",
  published: "دیدگاه شما منتشر شد.",
  retrying: "مشکل در اتصال. در حال تلاش دوباره…",
  notSent: "دیدگاه شما فرستاده نشد. روی همین دستگاه نگه داشته شده است؛ برای تلاش دوباره «فرستادن دیدگاه» را بزنید.",
  unsent: "دیدگاهی دارید که هنوز فرستاده نشده است. برای فرستادن، «فرستادن دیدگاه» را بزنید.",
  rateLimited: (s) => `دیدگاه‌های زیادی فرستاده‌اید. لطفاً ${s} ثانیه صبر کنید و دوباره تلاش کنید.`,
  captchaMissing: "لطفاً کپچا را کامل کنید.",
  captchaLoadFailed: "کپچا بارگذاری نشد. لطفاً دوباره تلاش کنید.",
  testCaptcha: "امتیاز کپچا (آزمایشی)",
  testCaptchaFail: "رد شدن توکن",
  closed: "این گفتگو برای دیدگاه‌های تازه بسته شده است.",
  errors: {
    captcha_failed: "تأیید کپچا ناموفق بود!",
    captcha_score_too_low: "امتیاز کپچا کافی نبود. لطفاً با ما تماس بگیرید!",
    author_banned: "شما دیگر نمی‌توانید در این سایت دیدگاه بنویسید.",
    thread_closed: "این گفتگو برای دیدگاه‌های تازه بسته شده است.",
    duplicate_comment: "این دیدگاه را پیش‌تر فرستاده‌اید.",
    parent_not_found: "دیدگاهی که به آن پاسخ می‌دهید دیگر وجود ندارد.",
  },
};

/**
 * The widget's strings by language code. Add a language by adding an entry (every key is required, so the
 * compiler lists what is missing; add its "N comments" to count-labels.ts); `dir: "rtl"` lays the widget out
 * right to left.
 */
export const strings: Record<string, Strings> = { en, fa };
