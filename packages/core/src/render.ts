import MarkdownIt from "markdown-it";

/** Link schemes a rendered comment may carry. Everything else is shown as text. */
const allowedLink = /^(https?:\/\/|mailto:)/i;
const linkRel = "nofollow ugc noopener noreferrer";

/** Built on the first comment rendered, not at start: a cold start that only reads threads never pays for it. */
let markdownInstance: ReturnType<typeof buildMarkdown> | null = null;
const markdownRenderer = () => (markdownInstance ??= buildMarkdown());

/**
 * The Markdown subset readers may use: paragraphs, line breaks, emphasis, inline and fenced code,
 * links and autolinks. Starting from markdown-it's "zero" preset means headings, lists, images, tables
 * and raw HTML are simply not parsed: they stay visible as the text the reader typed.
 */
function buildMarkdown() {
  const markdown = new MarkdownIt("zero", { html: false, linkify: true, breaks: true, typographer: false })
    .enable(["paragraph", "fence", "newline", "escape", "backticks", "emphasis", "link", "autolink", "linkify", "entity"]);

  markdown.validateLink = (url: string) => allowedLink.test(url.trim());

  // `[text]()` has no destination for validateLink to refuse: keep its text, drop the empty link.
  markdown.core.ruler.push("drop_empty_links", (state) => {
    for (const block of state.tokens) {
      if (!block.children) continue;
      const kept = [];
      let dropping = false;
      for (const token of block.children) {
        if (token.type === "link_open" && !token.attrGet("href")) {
          dropping = true;
          continue;
        }
        if (token.type === "link_close" && dropping) {
          dropping = false;
          continue;
        }
        kept.push(token);
      }
      block.children = kept;
    }
  });

  markdown.renderer.rules.link_open = (tokens, index, options, _env, self) => {
    const token = tokens[index]!;
    token.attrSet("rel", linkRel);
    token.attrSet("target", "_blank");
    return self.renderToken(tokens, index, options);
  };
  return markdown;
}

/** Renders a comment body (plain text with a small Markdown subset) to safe HTML. */
export function renderBody(body: string): string {
  // NUL and other C0 controls (but tab and newline) carry no meaning in a comment.
  const clean = body.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "");
  return markdownRenderer().render(clean).trim();
}

/** Counts the links in rendered comment HTML. */
export function countLinks(bodyHtml: string): number {
  return (bodyHtml.match(/<a\s/g) ?? []).length;
}
