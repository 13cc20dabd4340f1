import { describe, expect, it } from "vitest";
import { renderBody } from "@comments/core";
import { htmlToText } from "@comments/migrate";
import { unsafeHtmlProblems } from "./support/stored-invariants.ts";

/** What a reader finally sees: converted, then rendered by the comment renderer. */
const shown = (html: string, preserveNewlines = false) => renderBody(htmlToText(html, { preserveNewlines }));

describe("converting imported comment HTML to comment text", () => {
  it("turns http, https and mailto links into Markdown links and keeps only the text of any other link", () => {
    expect(htmlToText('Read <a href="https://news.example/a">this</a>.')).toBe("Read [this](https://news.example/a).");
    expect(htmlToText('<a href="mailto:desk@news.example">write us</a>')).toBe("[write us](mailto:desk@news.example)");
    expect(htmlToText('<a href="javascript:alert(1)">click</a> <a href="data:text/html,x">data</a> <a href="/relative">here</a>')).toBe("click data here");
    expect(htmlToText('<a href="https://x.example/">https://x.example/</a>')).toBe("https://x.example/");
    expect(htmlToText('<a href="https://x.example/a b(c)">odd</a>')).toBe("[odd](https://x.example/a%20b%28c%29)");
  });

  it("makes paragraphs and <br> line breaks", () => {
    expect(htmlToText("<p>One</p><p>Two<br>Three</p>")).toBe("One\n\nTwo\nThree");
    expect(htmlToText("<div>a</div><div>b</div>")).toBe("a\nb");
  });

  it("keeps the line breaks of WordPress text, where paragraphs are added only when shown", () => {
    expect(htmlToText("Line one\nLine two\n\n\n\nNext paragraph", { preserveNewlines: true })).toBe("Line one\nLine two\n\nNext paragraph");
    expect(htmlToText("a<br />\nb", { preserveNewlines: true })).toBe("a\nb");
    expect(htmlToText("Line one\nline two")).toBe("Line one line two");
  });

  it("decodes entities and strips tags, dropping the content of scripts and styles", () => {
    expect(htmlToText("Tom &amp; Jerry &lt;3 &#8230; &eacute;")).toBe("Tom & Jerry <3 … é");
    expect(htmlToText('<span style="color:red">red</span><script>alert("x")</script><style>p{}</style><iframe src="https://x">f</iframe>!')).toBe("red!");
    expect(htmlToText('<img src="x" onerror="alert(1)">')).toBe("");
  });

  it("keeps emphasis, code and code blocks in their Markdown form", () => {
    expect(htmlToText("<strong>bold</strong> <b> also </b> <em>it</em> <i>too</i>")).toBe("**bold** **also** *it* *too*");
    expect(htmlToText("use <code>a*b</code>")).toBe("use `a*b`");
    expect(htmlToText("<pre><code>x = 1\n  y = 2</code></pre>")).toBe("```\nx = 1\n  y = 2\n```");
  });

  it("escapes text that would otherwise read as Markdown, but leaves web addresses whole", () => {
    expect(htmlToText("2*3*4 [1] snake_case")).toBe("2\\*3\\*4 \\[1\\] snake\\_case");
    expect(shown("2*3*4 [1] snake_case https://x.example/a_b_c")).toBe(
      '<p>2*3*4 [1] snake_case <a href="https://x.example/a_b_c" rel="nofollow ugc noopener noreferrer" target="_blank">https://x.example/a_b_c</a></p>',
    );
    expect(shown("&amp;copy; stays as typed")).toBe("<p>&amp;copy; stays as typed</p>");
  });

  it("keeps right-to-left text as it is", () => {
    expect(htmlToText("<p>سلام <b>دنیا</b></p><p>خط دوم</p>")).toBe("سلام **دنیا**\n\nخط دوم");
  });

  it("never lets markup through to the rendered comment, whatever the input", () => {
    const hostile = [
      '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>',
      '<a href="https://ok.example" onclick="alert(1)">ok</a><svg onload="alert(1)"><circle/></svg>',
      "&lt;script&gt;alert(1)&lt;/script&gt;",
      '<a href="jav&#x09;ascript:alert(1)">tab</a><a href=" JAVASCRIPT:alert(1)">case</a>',
      "<b><i>unclosed <a href='https://x.example'>nest",
      "[text](javascript:alert(1)) <javascript:alert(1)>",
    ];
    for (const html of hostile) {
      for (const preserve of [true, false]) {
        const out = shown(html, preserve);
        expect(unsafeHtmlProblems(out), `${html} → ${out}`).toEqual([]);
        expect(out).not.toMatch(/<script|javascript:[^<]*"/i);
      }
    }
  });
});
