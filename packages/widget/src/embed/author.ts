import type { Translator } from "../i18n/format.ts";
import type { Comment } from "./api.ts";
import { h } from "./dom.ts";

/** The first letter of a name (a whole grapheme where the browser can split them), shown when there is no avatar. */
const initialOf = (name: string) => [...name.trim()][0]?.toUpperCase() ?? "?";

/**
 * A comment's avatar: https images only, loaded lazily at a fixed size (no layout shift) and without a referrer;
 * when the image fails (or the host page's CSP blocks it) the name's initial takes its place. The name follows
 * as text, so the image is decorative (`alt=""`) and a screen reader does not hear the name twice.
 */
function avatar(url: string | null | undefined, name: string): HTMLElement | null {
  if (!url || !/^https:\/\//i.test(url)) return null;
  const image = h("img", { class: "av", src: url, alt: "", width: 32, height: 32, loading: "lazy", decoding: "async", referrerpolicy: "no-referrer" });
  image.addEventListener("error", () => image.replaceWith(h("span", { class: "av", "aria-hidden": "true" }, initialOf(name))), { once: true });
  return image;
}

/**
 * A comment's byline parts: avatar, name (linked to their website when given), the verified mark of a reader
 * the site signed in and the staff badge. Everything is built as text and attributes, never as markup.
 */
export function byline(comment: Comment, t: Translator): (HTMLElement | null | false)[] {
  const { name, url, verified, badge, avatar: image } = comment.author;
  const who = url && /^https?:\/\//i.test(url) ? h("a", { class: "au", href: url, rel: "nofollow ugc noopener noreferrer" }, name) : h("span", { class: "au" }, name);
  return [
    avatar(image, name),
    who,
    verified === true && h("span", { class: "vf", role: "img", "aria-label": t.text("verified"), title: t.text("verified") }, "✓"),
    badge === "staff" && h("span", { class: "badge sf" }, t.text("staff")),
  ];
}
