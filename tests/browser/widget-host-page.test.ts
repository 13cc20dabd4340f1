import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPage, post, soon, startWidgetRig, unexpectedErrors, unique, widgetOf } from "./widget-fixture.ts";

const hostileCss = `<style>
  * { display: none !important; font-family: "Comic Sans MS", fantasy !important; font-size: 41px !important;
      color: rgb(255, 0, 255) !important; letter-spacing: 7px !important; line-height: 0.4 !important;
      text-transform: uppercase !important; direction: rtl !important; }
  html, body { display: block !important; }
  form, textarea, input, button, article, ol, li, p, div { display: none !important; visibility: hidden !important; }
</style>`;

const manyThreads = Array.from({ length: 150 }, (_, i) => `<span data-comments-count data-site="demo" data-thread="list/${i}"></span>`).join("");

let rig: Awaited<ReturnType<typeof startWidgetRig>>;

beforeAll(async () => {
  rig = await startWidgetRig({
    pages: {
      hostile: hostPage(`<div id="comments" data-site="demo" data-thread="hostile"></div>`, hostileCss),
      "late-script": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>
        <p id="probe">Host paragraph</p><button id="host-button">Host button</button><ol id="host-list"><li>Host item</li></ol>
        <div id="comments" data-site="demo" data-thread="late"></div></body></html>`,
      "no-site": hostPage(`<div id="comments" data-thread="x"></div>`),
      "bad-site": hostPage(`<div id="comments" data-site="Demo Site!" data-thread="x"></div>`),
      "no-thread": hostPage(`<div id="comments" data-site="demo"></div>`),
      "bad-api": hostPage(`<div id="comments" data-site="demo" data-thread="x" data-api="ftp://nowhere"></div>`),
      "unknown-site": hostPage(`<div id="comments" data-site="nosuchsite" data-thread="x"></div>`),
      "strict-csp": hostPage(
        `<div id="comments" data-site="demo" data-thread="csp"></div>`,
        `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'">`,
      ),
      element: hostPage(`<comment-thread site="demo" thread="custom-element"></comment-thread>`),
      "count-many": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>List</title></head><body>${manyThreads}<script src="/count.js" async></script></body></html>`,
    },
  });
});
afterAll(async () => rig?.close());

describe("comment widget: living on someone else's page", () => {
  it("stays visible and readable under hostile host CSS, and still posts", async () => {
    const { page, widget } = await rig.open("/test/hostile");
    await widget.body.waitFor({ state: "visible" });
    const box = await page.locator("#comments").boundingBox();
    expect(box?.height).toBeGreaterThan(200);
    const look = await widget.body.evaluate((element) => {
      const style = getComputedStyle(element);
      return { font: style.fontFamily, color: style.color, transform: style.textTransform, spacing: style.letterSpacing, direction: style.direction };
    });
    expect(look.font).not.toMatch(/comic|fantasy/i);
    expect(look.color).not.toBe("rgb(255, 0, 255)");
    expect(look).toMatchObject({ transform: "none", spacing: "normal", direction: "ltr" });

    const text = unique("Still works on a hostile page");
    await post(widget, { body: text });
    await widget.comment(text).waitFor({ state: "visible" });
    expect(await widget.comment(text).evaluate((el) => getComputedStyle(el).fontSize)).not.toBe("41px");
  });

  it("does not change the host page's own styles or add anything to its head", async () => {
    const { page, widget } = await rig.open("/test/late-script");
    const hostLook = () =>
      page.evaluate(() => {
        const look = (selector: string) => {
          const style = getComputedStyle(document.querySelector(selector)!);
          return [style.fontFamily, style.fontSize, style.color, style.backgroundColor, style.padding, style.margin, style.listStyleType, style.boxSizing].join("|");
        };
        return { p: look("#probe"), button: look("#host-button"), list: look("#host-list"), body: look("body"), head: document.head.children.length, sheets: document.styleSheets.length };
      });
    const before = await hostLook();
    await page.addScriptTag({ url: "/embed.js" });
    await soon(() => widget.heading.textContent()).toBe("0 comments");
    // + the script tag itself and the widget bundle it loads; nothing else.
    expect(await hostLook()).toEqual({ ...before, head: before.head + 2 });
    const added = await page.evaluate(() => [...document.head.querySelectorAll("script")].map((script) => new URL(script.src).pathname));
    expect(added).toEqual(["/embed.js", expect.stringMatching(/^\/assets\/widget\.[0-9a-f]{12}\.js$/)]);
  });

  it("renders a body full of XSS payloads as text and executes none of them", async () => {
    const { page, widget, trouble } = await rig.open("/test/host?site=demo&thread=xss");
    const payloads = [
      `<script>alert("xss-script")</script>`,
      `<img src=x onerror="window.__pwned = 1; alert('xss-img')">`,
      `<svg onload=alert("xss-svg")></svg>`,
      `<iframe src="javascript:alert('xss-iframe')"></iframe>`,
      `[click me](javascript:alert("xss-md-link"))`,
      `<a href="javascript:alert('xss-a')">a link</a>`,
      `"><img src=x onerror=alert(1)>`,
      "`<b>in code</b>`",
      `<style>*{display:none}</style>`,
      `<details open ontoggle=alert("xss-details")>`,
      `&lt;img src=x onerror=alert(2)&gt;`,
      `<math><mtext><table><mglyph><style><img src=x onerror=alert(3)>`,
      `{{constructor.constructor('alert(4)')()}}`,
      `javascript:alert("xss-autolink")`,
    ];
    const body = payloads.join("\n\n");
    await post(widget, { body, name: `<img src=x onerror="alert('xss-name')">` });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    await page.reload();
    const article = widget.comments.first();
    await article.waitFor();

    const rendered = await article.evaluate((element) => ({
      text: element.textContent ?? "",
      dangerous: element.querySelectorAll("script, img, svg, iframe, style, details, math, object, embed").length,
      handlers: [...element.querySelectorAll("*")].flatMap((node) => [...node.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name)),
      hrefs: [...element.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? ""),
    }));
    expect(rendered.dangerous).toBe(0);
    expect(rendered.handlers).toEqual([]);
    expect(rendered.hrefs.every((href) => /^(https?:|mailto:)/.test(href))).toBe(true);
    expect(rendered.text).toContain(`<img src=x onerror="alert('xss-name')">`);
    expect(rendered.text).toContain(`<script>alert("xss-script")</script>`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(trouble.dialogs).toEqual([]);
    expect(unexpectedErrors(trouble.errors)).toEqual([]);
  });

  it("refuses a javascript: website with the server's message and runs nothing", async () => {
    const { page, widget, trouble } = await rig.open("/test/host?site=demo&thread=xss-url");
    await post(widget, { body: unique("Visit my site"), url: "javascript:alert('xss-url')" });
    await page.getByText("Please enter a full website address starting with http:// or https://").waitFor();
    expect(await widget.website.getAttribute("aria-invalid")).toBe("true");
    expect(trouble.dialogs).toEqual([]);
    expect(unexpectedErrors(trouble.errors)).toEqual([]);
  });

  it.each([
    ["no-site", "Comments could not load: the data-site attribute is missing"],
    ["bad-site", `Comments could not load: data-site="Demo Site!" is not a valid site id`],
    ["no-thread", "Comments could not load: the data-thread attribute is missing"],
    ["bad-api", `Comments could not load: data-api="ftp://nowhere" is not an absolute http(s) URL.`],
  ])("explains a missing or bad attribute in the page and the console (%s)", async (name, message) => {
    const { page, trouble } = await rig.open(`/test/${name}`);
    const shown = page.getByRole("alert");
    await soon(() => shown.textContent()).toContain(message);
    await soon(() => trouble.errors.join("\n")).toContain(message);
  });

  it("explains an unknown site in the page and the console", async () => {
    const { page, trouble } = await rig.open("/test/unknown-site");
    await page.getByText("Comments could not load.").waitFor();
    await page.getByText("Comments are not set up for this site.").waitFor();
    await soon(() => unexpectedErrors(trouble.errors).join("\n")).toContain(`could not load site "nosuchsite"`);
  });

  it("is styled and posts under a strict Content-Security-Policy (no inline styles or scripts allowed)", async () => {
    const { page, widget, trouble } = await rig.open("/test/strict-csp");
    await widget.heading.waitFor();
    expect(await page.locator(".cw").evaluate((element) => getComputedStyle(element).backgroundColor)).toBe("rgb(255, 255, 255)");
    expect(await widget.submit.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe("rgb(11, 92, 173)");
    const text = unique("Posted under a strict CSP");
    await post(widget, { body: text });
    await widget.comment(text).waitFor();
    expect(unexpectedErrors(trouble.errors)).toEqual([]);
  });

  it("works as a <comment-thread> custom element", async () => {
    const { page } = await rig.open("/test/element");
    const widget = widgetOf(page, page.locator("comment-thread"));
    const text = unique("Posted from the custom element");
    await post(widget, { body: text });
    await widget.comment(text).waitFor();
    expect((await rig.thread("custom-element")).comments).toHaveLength(1);
  });

  it("follows prefers-color-scheme, obeys data-theme and changes theme live", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=theme", { colorScheme: "dark" });
    await widget.heading.waitFor();
    const background = () => page.locator(".cw").evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(await background()).toBe("rgb(23, 25, 28)");
    await page.locator("#comments").evaluate((host) => host.setAttribute("data-theme", "light"));
    await soon(background).toBe("rgb(255, 255, 255)");
    await page.emulateMedia({ colorScheme: "light" });
    await page.locator("#comments").evaluate((host) => host.setAttribute("data-theme", "dark"));
    await soon(background).toBe("rgb(23, 25, 28)");
    await page.locator("#comments").evaluate((host) => host.setAttribute("data-theme", "auto"));
    await soon(background).toBe("rgb(255, 255, 255)");
  });

  it("takes its colours from the host's --cw-* custom properties", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=themed");
    await page.locator("#comments").evaluate((host) => host.setAttribute("style", "--cw-accent: rgb(200, 0, 100); --cw-bg: rgb(250, 245, 230)"));
    await widget.heading.waitFor();
    expect(await widget.submit.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe("rgb(200, 0, 100)");
    expect(await page.locator(".cw").evaluate((element) => getComputedStyle(element).backgroundColor)).toBe("rgb(250, 245, 230)");
  });

  it("fills the article list's counts with one request per site", async () => {
    await rig.seed("2024/04/19/nato-isis", "Counted one");
    await rig.seed("2024/04/19/nato-isis", "Counted two");
    await rig.seed("2024/04/18/city-water-plan", "Counted three");
    const counts: string[] = [];
    const { page } = await rig.open("/", {});
    page.on("request", (request) => void (request.url().includes("/counts?") && counts.push(request.url())));
    await page.reload();
    const list = page.locator(".stories");
    await soon(() => list.locator("[data-thread='2024/04/19/nato-isis']").textContent()).toBe("2 comments");
    expect(await list.locator("[data-thread='2024/04/18/city-water-plan']").textContent()).toBe("1 comment");
    expect(await list.locator("[data-thread='2024/04/16/flood-relief']").textContent()).toBe("0 comments");
    expect(await page.locator(".byline [data-comments-count]").textContent()).toBe("2 comments");
    expect(counts).toHaveLength(1);
    expect(new URL(counts[0]!).searchParams.getAll("thread")).toHaveLength(5);
  });

  it("asks for at most 100 threads per counts request", async () => {
    const counts: string[] = [];
    const { page } = await rig.open("/test/count-many");
    page.on("request", (request) => void (request.url().includes("/counts?") && counts.push(request.url())));
    await page.reload();
    await soon(() => page.locator("[data-comments-count='0']").count()).toBe(150);
    expect(counts.map((url) => new URL(url).searchParams.getAll("thread").length).sort()).toEqual([100, 50]);
  });

  it("loads no third-party script for a site with the test captcha", async () => {
    const { page, widget } = await rig.open("/test/host?site=demo&thread=offline");
    const foreign: string[] = [];
    page.on("request", (request) => void (!request.url().startsWith(rig.base) && foreign.push(request.url())));
    await page.reload();
    await post(widget, { body: unique("Local only") });
    await soon(() => widget.status.textContent()).toBe("Your comment has been published.");
    expect(foreign).toEqual([]);
  });
});
