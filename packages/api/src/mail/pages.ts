import { escapeHtml } from "./compose/html.ts";
import { directionOf } from "./message.ts";

/** What a confirm or unsubscribe page says. */
export type SubscriptionPage =
  | { kind: "confirmed"; title: string | null }
  | { kind: "alreadyConfirmed"; title: string | null }
  /** The GET of an unsubscribe link: a button, so a link scanner following it unsubscribes nobody. */
  | { kind: "unsubscribeAsk"; title: string | null; action: string }
  | { kind: "unsubscribed"; title: string | null }
  | { kind: "unknownLink" };

interface PageWords {
  confirmed: [string, string];
  alreadyConfirmed: [string, string];
  unsubscribeAsk: [string, string];
  unsubscribeButton: string;
  unsubscribed: [string, string];
  unknownLink: [string, string];
  about(title: string): string;
}

const words: Record<"en" | "fa", PageWords> = {
  en: {
    confirmed: ["Subscription confirmed", "Thank you. You will get an email when there is something new, at most one every few minutes. Every email has a link to stop them."],
    alreadyConfirmed: ["Already confirmed", "This subscription was confirmed before; nothing has changed."],
    unsubscribeAsk: ["Stop these emails?", "Press the button to stop the emails of this subscription."],
    unsubscribeButton: "Unsubscribe",
    unsubscribed: ["You are unsubscribed", "You will get no more emails from this subscription."],
    unknownLink: ["This link is not valid", "It may have expired or been copied incompletely. Nothing was changed."],
    about: (title) => `Conversation: ${title}`,
  },
  fa: {
    confirmed: ["اشتراک تأیید شد", "سپاس. هر وقت چیز تازه‌ای باشد، به شما ایمیل می‌زنیم؛ حداکثر یکی در هر چند دقیقه. هر ایمیل پیوندی برای قطع آن دارد."],
    alreadyConfirmed: ["پیش‌تر تأیید شده", "این اشتراک پیش‌تر تأیید شده بود؛ چیزی تغییر نکرد."],
    unsubscribeAsk: ["این ایمیل‌ها قطع شوند؟", "برای قطع ایمیل‌های این اشتراک دکمه را بزنید."],
    unsubscribeButton: "لغو اشتراک",
    unsubscribed: ["اشتراک شما لغو شد", "دیگر ایمیلی از این اشتراک دریافت نمی‌کنید."],
    unknownLink: ["این پیوند معتبر نیست", "شاید منقضی شده یا ناقص کپی شده باشد. چیزی تغییر نکرد."],
    about: (title) => `گفت‌وگو: ${title}`,
  },
};

/** The policy of these pages: no script, inline styles, the form posts only to the page's own address. */
export const subscriptionPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The HTML page answering a confirm or unsubscribe link, in the subscription's language (English by default). */
export function renderSubscriptionPage(page: SubscriptionPage, language: string): string {
  const lang = language === "fa" ? "fa" : "en";
  const said = words[lang];
  const [heading, text] = said[page.kind];
  const title = "title" in page && page.title ? `<p class="about">${escapeHtml(said.about(page.title))}</p>` : "";
  const form =
    page.kind === "unsubscribeAsk"
      ? `<form method="post" action="${escapeHtml(page.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(said.unsubscribeButton)}</button></form>`
      : "";
  return `<!doctype html>
<html lang="${lang}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(heading)}</title>
<style>
body { font: 17px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 34rem; padding: 0 1rem; color: #1f2328; }
.about { color: #59636e; }
button { font: inherit; padding: 0.5rem 1.25rem; border-radius: 6px; border: 1px solid #1f2328; background: #1f2328; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
${title}
<p>${escapeHtml(text)}</p>
${form}
</main>
</body>
</html>`;
}
