import { Parser } from "htmlparser2";

/** Options for {@link htmlToText}. */
export interface HtmlToTextOptions {
  /**
   * Keep line breaks of the source text. WordPress stores comments as text with line breaks (paragraphs are
   * added when shown); Disqus stores real HTML, where a line break in the source is just a space.
   */
  preserveNewlines?: boolean;
}

/** Elements whose content is never shown. */
const dropped = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "head", "title", "svg", "math", "select", "textarea"]);
/** Blocks separated by a blank line. */
const paragraphBlocks = new Set(["p", "blockquote", "pre", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "hr"]);
/** Blocks that start on a new line. */
const lineBlocks = new Set(["div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "address", "figcaption", "caption"]);
const linkSchemes = /^(https?:\/\/|mailto:)/i;
const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

/** Backslash-escapes what the comment Markdown subset would otherwise read as markup (URLs stay intact). */
function escapeMarkdown(text: string): string {
  const escapePlain = (plain: string) =>
    plain
      .replace(/[\\`*_[\]]/g, "\\$&")
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&")
      .replace(/^(\s*)(~{3,})/gm, (_, space: string, tildes: string) => `${space}\\${tildes}`);
  let out = "";
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    out += escapePlain(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapePlain(text.slice(last));
}

/** A link target the comment renderer accepts, written so Markdown reads it back whole. */
function linkTarget(href: string | undefined): string | null {
  const url = href?.trim() ?? "";
  if (!linkSchemes.test(url)) return null;
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Wraps inline text in a Markdown marker, keeping surrounding spaces outside (where Markdown needs them). */
function wrapInline(inner: string, open: string, close = open): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, before = "", core = "", after = ""] = match ?? [];
  return core === "" ? inner : `${before}${open}${core}${close}${after}`;
}

/**
 * Converts comment HTML from another system to plain text in the comment Markdown subset: links become
 * `[text](href)` (only http, https and mailto; other links keep just their text), `<br>` and paragraphs become
 * line breaks, emphasis and code keep their Markdown form, entities are decoded, every other tag is stripped
 * and the content of scripts and styles is dropped. The result is meant for `renderBody`, never shown as HTML.
 * @example htmlToText('<p>Hi <a href="https://x.example">there</a></p>') // "Hi [there](https://x.example)"
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  let out = "";
  const stack: { name: string; start: number; attribs: Record<string, string> }[] = [];
  let droppedDepth = 0;
  let preDepth = 0;
  let afterBreak = false;
  const listCounters: number[] = [];

  let pendingText = "";

  /** Writes the text seen since the last tag (the parser may hand it over in pieces, entities apart). */
  const flushText = () => {
    const text = pendingText;
    pendingText = "";
    if (text === "") return;
    if (preDepth > 0) {
      out += text;
      return;
    }
    let clean = text.replace(/\u00a0/g, " ");
    if (options.preserveNewlines) {
      clean = clean.replace(/\r\n?/g, "\n").replace(/[ \t\f\v]+/g, " ");
      // "<br>" followed by a line break in the source is one line break, not two.
      if (afterBreak) clean = clean.replace(/^ ?\n/, "");
    } else {
      clean = clean.replace(/\s+/g, " ");
    }
    // Spaces at the start of a line carry no meaning in HTML.
    if (out === "" || out.endsWith("\n")) clean = clean.replace(/^ +/, "");
    if (clean !== "") afterBreak = false;
    out += escapeMarkdown(clean);
  };

  const breakLines = (count: number) => {
    const trailing = /\n*[ \t]*$/.exec(out)?.[0] ?? "";
    const have = (trailing.match(/\n/g) ?? []).length;
    out = out.slice(0, out.length - trailing.length) + "\n".repeat(Math.max(have, count));
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        flushText();
        if (droppedDepth > 0 || dropped.has(name)) {
          droppedDepth++;
          return;
        }
        if (name === "br") {
          out += "\n";
          afterBreak = true;
          return;
        }
        afterBreak = false;
        if (name === "img") {
          const target = linkTarget(attribs.src);
          const alt = (attribs.alt ?? "").trim();
          if (target) out += `[${escapeMarkdown(alt || "image")}](${target})`;
          else if (alt) out += escapeMarkdown(alt);
          return;
        }
        if (paragraphBlocks.has(name)) breakLines(2);
        else if (lineBlocks.has(name)) breakLines(1);
        if (name === "pre") preDepth++;
        if (name === "ul") listCounters.push(0);
        if (name === "ol") listCounters.push(1);
        if (name === "li") {
          const n = listCounters.at(-1);
          if (n !== undefined && n > 0) listCounters[listCounters.length - 1] = n + 1;
          out += n !== undefined && n > 0 ? `${n}. ` : "- ";
        }
        stack.push({ name, start: out.length, attribs });
      },
      ontext(text) {
        if (droppedDepth === 0) pendingText += text;
      },
      onclosetag(name) {
        flushText();
        if (droppedDepth > 0) {
          droppedDepth--;
          return;
        }
        const open = stack.at(-1);
        if (!open || open.name !== name) return; // a void element, or a stray end tag
        stack.pop();
        const inner = out.slice(open.start);
        const head = out.slice(0, open.start);
        // Inside a code block everything stays literal text.
        if (preDepth > 0 && name !== "pre") return;
        switch (name) {
          case "a": {
            const target = linkTarget(open.attribs.href);
            const text = inner.trim();
            if (!target || text === "") break;
            const unescaped = text.replace(/\\(.)/g, "$1");
            out = head + (unescaped === target ? target : wrapInline(inner, "[", `](${target})`));
            break;
          }
          case "strong":
          case "b":
            out = head + wrapInline(inner, "**");
            break;
          case "em":
          case "i":
          case "cite":
            out = head + wrapInline(inner, "*");
            break;
          case "code": {
            const raw = inner.replace(/\\(.)/g, "$1");
            out = head + (raw.includes("`") ? wrapInline(raw, "`` ", " ``") : wrapInline(raw, "`"));
            break;
          }
          case "pre": {
            preDepth--;
            const code = inner.replace(/^\n+|\s+$/g, "");
            out = head + (code === "" ? "" : "```\n" + code.replace(/```/g, "`\u200b``") + "\n```");
            break;
          }
          case "blockquote": {
            const quoted = inner.trim().replace(/\n{3,}/g, "\n\n");
            out = head + (quoted === "" ? "" : quoted.split("\n").map((line) => (line === "" ? ">" : `> ${line}`)).join("\n"));
            break;
          }
          case "ul":
          case "ol":
            listCounters.pop();
            break;
        }
        if (paragraphBlocks.has(name)) breakLines(2);
        else if (lineBlocks.has(name)) breakLines(1);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flushText();

  // Runs of spaces (left where tags were) collapse, except inside code blocks.
  const tidy = out
    .split(/(```\n[\s\S]*?\n```)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/ {2,}/g, " ").replace(/ +\n/g, "\n")))
    .join("");
  return tidy.replace(/\n{3,}/g, "\n\n").trim();
}
