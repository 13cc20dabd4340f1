import { describe, expect, it } from "vitest";
import { countLinks, renderBody } from "../src/render.ts";

describe("renderBody", () => {
  it("renders paragraphs, line breaks, emphasis and code", () => {
    expect(renderBody("Hello *world* and **bold**\nnext line\n\nsecond `code`")).toBe(
      "<p>Hello <em>world</em> and <strong>bold</strong><br>\nnext line</p>\n<p>second <code>code</code></p>",
    );
  });

  it("shows raw HTML as text instead of interpreting it", () => {
    const html = renderBody('<script>alert(1)</script><img src=x onerror="alert(2)"><svg onload=alert(3)>');
    expect(html).not.toMatch(/<script|<img|<svg/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("keeps http, https and mailto links with rel nofollow ugc noopener noreferrer", () => {
    const html = renderBody("[site](https://example.com) and [mail](mailto:a@example.com) and http://plain.example/path");
    expect(countLinks(html)).toBe(3);
    expect(html).toContain('href="https://example.com" rel="nofollow ugc noopener noreferrer"');
    expect(html).toContain('href="mailto:a@example.com"');
    expect(html).toContain('href="http://plain.example/path"');
  });

  it.each([
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](/relative/path)",
    "[x](//evil.example)",
    "<javascript:alert(1)>",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
  ])("does not turn %s into a link", (input) => {
    expect(countLinks(renderBody(input))).toBe(0);
    expect(renderBody(input)).not.toMatch(/href=/i);
  });

  it("does not render images, headings or lists", () => {
    const html = renderBody("# Heading\n- item\n![img](https://example.com/a.png)");
    expect(html).not.toMatch(/<h1|<ul|<li|<img/);
  });

  it("escapes quotes inside link targets so attributes cannot be broken out of", () => {
    const html = renderBody('[x](https://example.com/"onmouseover="alert(1))');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });

  it("drops NUL and other control characters", () => {
    expect(renderBody("a\u0000b\u0007c")).toBe("<p>abc</p>");
  });
});
