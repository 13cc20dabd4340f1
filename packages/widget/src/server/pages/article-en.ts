import type { Language } from "../../i18n/languages.ts";
import { articlePage, type PageScripts } from "./layout.ts";

/** The English demo article (`/`), thread `2024/04/19/nato-isis`. */
export function englishArticlePage(scripts: PageScripts, widgetLang: Language): string {
  return articlePage(
    {
      lang: "en",
      dir: "ltr",
      title: "NATO allies weigh closer coordination as ISIS affiliates regroup — The Daily Demo",
      masthead: "The Daily Demo",
      tagline: "Independent news, every day",
      nav: ["World", "Politics", "Security", "Business", "Culture", "Opinion"],
      switchLink: { href: "/fa", label: "فارسی" },
      kicker: "World · Security",
      headline: "NATO allies weigh closer coordination as ISIS affiliates regroup",
      standfirst:
        "Defence officials meeting in Brussels reviewed intelligence sharing, training missions and support for partner forces amid concern that the group's regional branches are recovering.",
      byline: "By the Demo News security desk",
      dateIso: "2024-04-19T09:30:00Z",
      dateLabel: "April 19, 2024",
      imageCaption: "Delegations arrive for a morning session of the ministerial meeting. (Illustration)",
      paragraphs: [
        "BRUSSELS — Defence officials from NATO member states spent a second day on Friday discussing how the alliance and its partners can respond to a rise in attacks claimed by affiliates of the Islamic State group, according to delegates who attended the closed sessions.",
        "The talks focused on three areas: faster sharing of intelligence between national services, the future of training missions for partner forces, and how to cut the flow of money and fighters across borders. No new deployment was announced.",
        "Several delegations argued that the group's regional branches have adapted to the loss of territory by relying on small cells and online recruitment, which makes them harder to track with the tools built for a conventional campaign.",
        "Officials said any expanded effort would be coordinated with governments in the affected regions and with the United Nations, and that civilian protection and humanitarian access would remain central to planning.",
        "Analysts cautioned that attention and resources have shifted to other crises since the territorial defeat of the group in 2019. “The question is less about new money than about keeping the expertise that already exists,” one researcher said.",
        "Ministers are expected to return to the subject at the alliance summit later this year, where a report on counter-terrorism cooperation is due to be presented.",
      ],
      quote: "“The threat did not disappear; it changed shape, and our cooperation has to change with it.”",
      tags: ["NATO", "Security", "Counter-terrorism", "Europe", "Middle East"],
      commentsHeading: "Comments",
      thread: "2024/04/19/nato-isis",
      widgetLang,
      languageLabel: "Comment language:",
      themeLabel: "Comment theme:",
      themeNames: { auto: "Follow my system", light: "Light", dark: "Dark" },
      listHeading: "More from World",
      stories: [
        { title: "NATO allies weigh closer coordination as ISIS affiliates regroup", thread: "2024/04/19/nato-isis", section: "Security" },
        { title: "Water supply plan for growing city districts wins backing", thread: "2024/04/18/city-water-plan", section: "World" },
        { title: "New trade corridor promises shorter routes for regional exporters", thread: "2024/04/17/trade-corridor", section: "Business" },
        { title: "Relief groups scale up aid after spring floods", thread: "2024/04/16/flood-relief", section: "World" },
        { title: "Persian edition: the same story for our Dari and Persian readers", thread: "fa/2024/04/19/nato-isis", section: "Persian" },
      ],
      footer: 'The Daily Demo is a sample site for the comment service. Moderators: <a href="/moderate">review page</a>.',
      sampleNote: "This is a sample article for trying the comment widget; its text is illustrative.",
      demoSignIn: { reader: "Sign in as a demo reader", staff: "Sign in as demo staff", unavailable: "Demo sign-in is not available on this server." },
    },
    scripts,
  );
}
