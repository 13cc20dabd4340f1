import type { DecisionAction, ModItem } from "./api.ts";
import { articleUrl } from "./config.ts";
import { h } from "./dom.ts";
import { formatNumber, words } from "./i18n.ts";
import { safeFragment } from "./sanitize.ts";
import { siteName, type Shell } from "./shell.ts";
import { isFlaggedPublished, readableTime, reasonsInWords } from "./words.ts";

/** What a rendered queue item can ask of its list. */
export interface ItemHandlers {
  /** Makes this item the current one (a click anywhere on it). */
  focus(item: ModItem): void;
  /** The checkbox changed; `range` when Shift was held (select from the last ticked item to this one). */
  toggle(item: ModItem, range: boolean): void;
  decide(item: ModItem, action: DecisionAction): void;
  ban(item: ModItem): void;
  authorHistory(item: ModItem): void;
}

/** The article a comment belongs to: its title and address from the API, else the configured link and the thread id. */
function threadLink(shell: Shell, item: ModItem): HTMLElement {
  const w = words();
  const url = item.thread?.url || articleUrl(shell.config, item.siteId, item.threadId);
  const label = item.thread?.title || w.thread(item.threadId);
  return url
    ? h("a", { class: "thread", text: label, attrs: { href: url, target: "_blank", rel: "noopener noreferrer" } })
    : h("span", { class: "thread", text: label });
}

/** The author's counts on the site and their ban, when the API sends them. */
function authorFacts(item: ModItem): HTMLElement | null {
  const counts = item.author.counts;
  if (!counts && !item.author.banned) return null;
  const w = words();
  return h("p", { class: "author-facts" },
    counts
      ? h("span", { class: "counts" }, `${w.counts}: `,
          ...(["published", "pending", "rejected", "spam"] as const).flatMap((name, index) => [
            index > 0 ? " · " : "",
            h("span", { class: `count ${name}`, text: `${formatNumber(counts[name])} ${w.countNames[name]}` }),
          ]))
      : null,
    item.author.banned ? h("strong", { class: "banned-mark", text: w.banned }) : null,
  );
}

/** The comment a reply answers, quoted above it. */
function parentQuote(item: ModItem): HTMLElement | null {
  if (!item.parent) return null;
  return h("blockquote", { class: "parent" },
    h("p", { class: "parent-who", text: words().inReplyTo(item.parent.author.name) }),
    h("div", { class: "parent-body" }, safeFragment(item.parent.bodyHtml)),
  );
}

/** Earlier bodies of an edited comment, oldest first, folded away. */
function editHistory(item: ModItem): HTMLElement | null {
  const history = item.history ?? [];
  if (history.length === 0) return null;
  return h("details", { class: "history" },
    h("summary", { text: words().edited(history.length) }),
    h("ol", {}, ...history.map((entry) => {
      const at = entry.at ?? entry.editedAt ?? "";
      return h("li", {},
        at ? h("time", { text: readableTime(at), attrs: { datetime: at } }) : null,
        entry.bodyHtml !== undefined ? h("div", { class: "old-body" }, safeFragment(entry.bodyHtml)) : h("p", { class: "old-body", text: entry.body ?? "" }));
    })),
  );
}

/**
 * One queue item: where (article, site, time), who (author, email, score, counts, ban), why (reasons), what
 * (the parent it answers, the body, earlier versions) and the actions. Only bodies go through the sanitizer;
 * everything else is text.
 */
export function renderQueueItem(shell: Shell, item: ModItem, state: { current: boolean; checked: boolean }, on: ItemHandlers): HTMLElement {
  const w = words();
  const flagged = isFlaggedPublished(item);
  const tabindex = state.current ? "0" : "-1";
  const author = item.author.url
    ? h("a", { class: "author", text: item.author.name, attrs: { href: item.author.url, rel: "nofollow ugc noopener noreferrer", target: "_blank" } })
    : h("span", { class: "author", text: item.author.name });
  const button = (action: DecisionAction | "ban" | "all-by-author", label: string, key: string, extraClass = "") =>
    h("button", {
      class: `act ${action} ${extraClass}`.trim(),
      attrs: { type: "button", "aria-keyshortcuts": key, "data-action": action, tabindex },
      on: {
        click: (event) => {
          event.stopPropagation();
          if (action === "ban") on.ban(item);
          else if (action === "all-by-author") on.authorHistory(item);
          else on.decide(item, action);
        },
      },
    }, label, " ", h("kbd", { text: key }));
  const checkbox = h("input", {
    class: "pick",
    attrs: { type: "checkbox", "aria-label": w.select(item.author.name), "aria-keyshortcuts": "x", tabindex },
  });
  checkbox.checked = state.checked;
  checkbox.addEventListener("click", (event) => {
    event.stopPropagation();
    // The list re-renders from its own selection: undo the browser's toggle and let it decide.
    event.preventDefault();
    on.toggle(item, event.shiftKey);
  });
  return h(
    "li",
    {
      class: `item${flagged ? " flagged" : ""}${state.checked ? " picked" : ""}`,
      attrs: {
        id: `cw-item-${item.siteId}-${item.id}`,
        tabindex,
        "aria-current": String(state.current),
        "aria-label": w.commentBy(item.author.name, flagged),
        "data-comment-id": item.id,
      },
      on: { click: () => on.focus(item) },
    },
    h("div", { class: "meta" },
      checkbox,
      shell.sites.length > 1 ? h("span", { class: "site", text: siteName(shell, item.siteId) }) : null,
      threadLink(shell, item),
      h("time", { text: readableTime(item.createdAt), attrs: { datetime: item.createdAt } }),
    ),
    h("div", { class: "who" },
      author,
      h("span", { class: "email", text: item.author.email ?? w.noEmail }),
      h("span", { class: "score", text: item.captchaScore === null ? w.noScore : w.score(item.captchaScore) }),
      h("span", { class: `status ${item.status}`, text: flagged ? w.flaggedStatus : (w.statuses[item.status] ?? item.status) }),
    ),
    authorFacts(item),
    h("ul", { class: "reasons", attrs: { "aria-label": w.whyHere } }, ...reasonsInWords(item).map((text) => h("li", { text }))),
    parentQuote(item),
    h("div", { class: "body" }, safeFragment(item.bodyHtml)),
    editHistory(item),
    h("div", { class: "actions" },
      button("approve", flagged ? w.dismissFlags : w.approve, "a", "primary"),
      button("reject", w.reject, "r"),
      button("spam", w.spam, "s"),
      button("ban", w.banAuthor, "b", "danger"),
      item.author.ref ? button("all-by-author", w.authorHistory, "u") : null,
    ),
  );
}
