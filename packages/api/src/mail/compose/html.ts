import type { MailMessage } from "../message.ts";
/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/**
 * One piece of a mail. Builders describe a mail once as a list of blocks; {@link renderText} and
 * {@link renderHtml} turn it into the two parts, so they always say the same thing.
 */
export type MailBlock =
  | { kind: "paragraph"; text: string }
  /** Reader-written text, shown as a quotation (by whom, when known). */
  | { kind: "quote"; text: string; by?: string }
  | { kind: "list"; items: string[] }
  /** A link shown as a button in HTML and as `label: url` in text. */
  | { kind: "action"; label: string; href: string }
  /** A paragraph followed by a plain link. */
  | { kind: "link"; text: string; label: string; href: string }
  /** Small print at the bottom. */
  | { kind: "footer"; text: string; link?: { label: string; href: string } };

/** The plain-text part: paragraphs separated by blank lines, quotes with "> ", links written out in full. */
export function renderText(blocks: readonly MailBlock[]): string {
  const parts = blocks.map((block) => {
    switch (block.kind) {
      case "paragraph":
        return block.text;
      case "quote":
        return [...(block.by ? [block.by] : []), ...block.text.split("\n").map((line) => `> ${line}`)].join("\n");
      case "list":
        return block.items.map((item) => `- ${item}`).join("\n");
      case "action":
        return `${block.label}: ${block.href}`;
      case "link":
        return `${block.text}\n${block.href}`;
      case "footer":
        return `-- \n${block.text}${block.link ? `\n${block.link.label}: ${block.link.href}` : ""}`;
    }
  });
  return `${parts.join("\n\n")}\n`;
}

/**
 * The HTML part: one self-contained document with inline styles only (mail clients drop style sheets), no
 * image and no script; every text escaped; `lang` and `dir` on the root so right-to-left languages read right.
 */
export function renderHtml(blocks: readonly MailBlock[], page: { title: string; language: string; direction: "ltr" | "rtl" }): string {
  const align = page.direction === "rtl" ? "right" : "left";
  const body = blocks
    .map((block) => {
      switch (block.kind) {
        case "paragraph":
          return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
        case "quote":
          return `${block.by ? `<p style="margin:0 0 4px;color:#57606a">${escapeHtml(block.by)}</p>` : ""}<blockquote style="margin:0 0 16px;padding:8px 12px;border-${page.direction === "rtl" ? "right" : "left"}:3px solid #d0d7de;background:#f6f8fa;white-space:pre-wrap">${escapeHtml(block.text)}</blockquote>`;
        case "list":
          return `<ul style="margin:0 0 16px;padding-${page.direction === "rtl" ? "right" : "left"}:20px">${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
        case "action":
          return `<p style="margin:0 0 16px"><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:10px 16px;border-radius:6px;background:#0b57d0;color:#ffffff;text-decoration:none">${escapeHtml(block.label)}</a></p>`;
        case "link":
          return `<p style="margin:0 0 16px">${escapeHtml(block.text)} <a href="${escapeHtml(block.href)}" style="color:#0b57d0">${escapeHtml(block.label)}</a></p>`;
        case "footer":
          return `<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #d0d7de;font-size:13px;color:#57606a">${escapeHtml(block.text)}${block.link ? ` <a href="${escapeHtml(block.link.href)}" style="color:#57606a">${escapeHtml(block.link.label)}</a>` : ""}</p>`;
      }
    })
    .join("\n");
  return `<!doctype html>
<html lang="${escapeHtml(page.language)}" dir="${page.direction}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff;color:#1f2328;font:15px/1.6 -apple-system,'Segoe UI',Tahoma,Arial,sans-serif;text-align:${align}">
<div style="max-width:600px;margin:0 auto">
${body}
</div>
</body>
</html>
`;
}

/** A mail made of blocks: the plain-text and HTML parts rendered from the same blocks, in the reader's language. */
export function mailFromBlocks(mail: {
  to: string;
  from: string;
  subject: string;
  blocks: readonly MailBlock[];
  language: string;
  direction: "ltr" | "rtl";
  headers: Record<string, string>;
  kind: MailMessage["kind"];
}): MailMessage {
  const { blocks, ...rest } = mail;
  return {
    ...rest,
    text: renderText(blocks),
    html: renderHtml(blocks, { title: mail.subject, language: mail.language, direction: mail.direction }),
  };
}
