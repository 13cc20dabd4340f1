import type { MailSetup, ThreadPage } from "@comments/api/mail";

/** Where test mails come from and point to. */
export const mailSetup: MailSetup = { from: "Comments <comments@news.example>", apiBaseUrl: "https://comments.news.example" };

/** An English article page. */
export const englishThread: ThreadPage = {
  siteId: "demo",
  siteName: "Kabul Daily",
  threadId: "news/42",
  url: "https://news.example/2026/12/budget-vote?ref=home",
  title: "Parliament votes on the budget",
};

/** A Persian article page. */
export const persianThread: ThreadPage = {
  siteId: "demo",
  siteName: "کابل امروز",
  threadId: "news/43",
  url: "https://news.example/fa/2026/12/budget",
  title: "رأی‌گیری پارلمان دربارهٔ بودجه",
};

/** Every http(s) link of a mail: hrefs of the HTML part and URLs written in the text part. */
export function linksOf(mail: { html: string; text: string }): string[] {
  const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replaceAll("&amp;", "&"));
  const written = [...mail.text.matchAll(/https?:\/\/[^\s>]+/g)].map((match) => match[0]);
  return [...hrefs, ...written];
}
