import { languages, type Language } from "../../i18n/languages.ts";
import { languageNames } from "./language-names.ts";

/** Script URLs of the built assets (with their content hash). */
export interface PageScripts {
  embed: string;
  count: string;
  /** The local server's demo token route: the article then offers "Sign in as a demo reader" (and staff). */
  demoToken?: string;
}

/** A story in the article list, with its comment count filled by count.js. */
export interface ListedStory {
  title: string;
  thread: string;
  section: string;
}

/** Everything one demo article page shows. All strings are trusted, static demo text. */
export interface ArticlePage {
  lang: string;
  dir: "ltr" | "rtl";
  title: string;
  masthead: string;
  tagline: string;
  nav: string[];
  switchLink: { href: string; label: string };
  kicker: string;
  headline: string;
  standfirst: string;
  byline: string;
  dateIso: string;
  dateLabel: string;
  imageCaption: string;
  /** Paragraph HTML (static). */
  paragraphs: string[];
  quote: string;
  tags: string[];
  commentsHeading: string;
  thread: string;
  /** The widget's language (the switcher's choice, `?lang=`). */
  widgetLang: Language;
  languageLabel: string;
  themeLabel: string;
  themeNames: { auto: string; light: string; dark: string };
  listHeading: string;
  stories: ListedStory[];
  footer: string;
  sampleNote: string;
  /** The demo sign-in buttons and the line shown when the local server cannot mint a token. */
  demoSignIn: { reader: string; staff: string; unavailable: string };
}

const styles = `
*{box-sizing:border-box}
body{margin:0;background:#f6f4ef;color:#1f1f1f;font:18px/1.65 Georgia,"Times New Roman",serif}
:lang(fa) body,body:lang(fa){font-family:Vazirmatn,Tahoma,"Segoe UI",sans-serif;line-height:1.9}
a{color:#8a1c1c}
.top{background:#fff;border-bottom:3px solid #1f1f1f}
.top .in{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.5rem 1.5rem;padding:1rem 1.25rem .5rem}
.brand{font:700 2rem/1 Georgia,serif;letter-spacing:-.5px;color:#1f1f1f;text-decoration:none}
:lang(fa) .brand{font-family:inherit}
.tagline{font:14px/1.4 system-ui,sans-serif;color:#666}
nav{border-top:1px solid #ddd}
nav ul{display:flex;flex-wrap:wrap;gap:1.25rem;list-style:none;margin:0;padding:.55rem 1.25rem;font:600 14px/1.4 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em}
:lang(fa) nav ul{text-transform:none;letter-spacing:0}
nav a{color:#1f1f1f;text-decoration:none}
.in{max-width:1120px;margin:0 auto}
.grid{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:2.5rem;padding:2rem 1.25rem}
@media(max-width:860px){.grid{grid-template-columns:1fr}}
.kicker{font:700 13px/1 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.08em;color:#8a1c1c}
h1{font-size:clamp(1.8rem,4vw,2.7rem);line-height:1.15;margin:.5rem 0 .75rem}
.standfirst{font-size:1.2rem;color:#444;margin:0 0 1rem}
.byline{font:14px/1.5 system-ui,sans-serif;color:#555;border-top:1px solid #ddd;border-bottom:1px solid #ddd;padding:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
figure{margin:1.5rem 0}
.photo{aspect-ratio:16/9;border-radius:2px;background:linear-gradient(160deg,#5b6b7a 0%,#a9b4bd 45%,#d9c9a8 70%,#8c7b62 100%)}
figcaption{font:13px/1.4 system-ui,sans-serif;color:#666;margin-top:.4rem}
blockquote{margin:1.5rem 0;padding:0 1.25rem;border-inline-start:4px solid #8a1c1c;font-size:1.3rem;font-style:italic;color:#333}
.tags{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:2rem 0;font:13px/1 system-ui,sans-serif}
.tags li{background:#e9e5dc;padding:.4rem .6rem;border-radius:2px}
.note{font:13px/1.5 system-ui,sans-serif;color:#666;background:#fff;border:1px dashed #bbb;padding:.5rem .75rem}
.discussion{margin-top:2.5rem;border-top:3px solid #1f1f1f;padding-top:1rem}
.discussion h2{font-size:1.4rem;margin:0 0 .75rem}
.choices{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;font:14px/1.4 system-ui,sans-serif;color:#555;margin:0 0 1rem}
.choices select,.choices button{font:inherit;min-height:24px}
aside h2{font:700 14px/1 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.08em;border-bottom:2px solid #1f1f1f;padding-bottom:.5rem}
.stories{list-style:none;margin:0;padding:0}
.stories li{padding:.75rem 0;border-bottom:1px solid #ddd}
.stories a{color:#1f1f1f;text-decoration:none;font-weight:700;line-height:1.3;display:block}
.stories a:hover{text-decoration:underline}
.meta{font:13px/1.4 system-ui,sans-serif;color:#666}
footer{background:#1f1f1f;color:#ccc;font:14px/1.6 system-ui,sans-serif;padding:1.5rem 1.25rem;margin-top:2rem}
footer a{color:#fff}
`;

/** A news article page with the comment widget under it and an article list that uses count.js. */
/**
 * The demo sign-in: asks the local server for a token signed with the demo secret (what a news site's backend
 * does for its logged-in subscriber) and hands it to the widget with `login()`; the widget's Sign out ends it.
 */
const demoSignInScript = (route: string, unavailable: string) => `document.querySelectorAll("#demo-sign-in button").forEach(function (button) {
  button.addEventListener("click", function () {
    var status = document.querySelector("#demo-sign-in [aria-live]");
    status.textContent = "";
    fetch(${JSON.stringify(route)} + "?role=" + button.dataset.role, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error(String(response.status))); })
      .then(function (answer) { document.getElementById("comments").login(answer.token); })
      .catch(function () { status.textContent = ${JSON.stringify(unavailable)}; });
  });
});`;

export function articlePage(page: ArticlePage, scripts: PageScripts): string {
  const { themeNames } = page;
  return `<!doctype html>
<html lang="${page.lang}" dir="${page.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<style>${styles}</style>
</head>
<body>
<header class="top">
  <div class="in">
    <a class="brand" href="${page.lang === "fa" ? "/fa" : "/"}">${page.masthead}</a>
    <span class="tagline">${page.tagline} · <a href="${page.switchLink.href}">${page.switchLink.label}</a></span>
  </div>
  <nav aria-label="Sections"><ul class="in">${page.nav.map((item) => `<li><a href="#">${item}</a></li>`).join("")}</ul></nav>
</header>
<div class="in grid">
  <main>
    <article>
      <span class="kicker">${page.kicker}</span>
      <h1>${page.headline}</h1>
      <p class="standfirst">${page.standfirst}</p>
      <div class="byline"><span>${page.byline}</span><time datetime="${page.dateIso}">${page.dateLabel}</time>
        <a href="#comments-section"><span data-comments-count data-site="demo" data-thread="${page.thread}">&nbsp;</span></a></div>
      <figure><div class="photo" role="img" aria-label="${page.imageCaption}"></div><figcaption>${page.imageCaption}</figcaption></figure>
      ${page.paragraphs.slice(0, 3).map((p) => `<p>${p}</p>`).join("\n      ")}
      <blockquote>${page.quote}</blockquote>
      ${page.paragraphs.slice(3).map((p) => `<p>${p}</p>`).join("\n      ")}
      <p class="note">${page.sampleNote}</p>
      <ul class="tags">${page.tags.map((tag) => `<li>${tag}</li>`).join("")}</ul>
    </article>
    <section class="discussion" id="comments-section" aria-label="${page.commentsHeading}">
      <div class="choices">
        <label>${page.themeLabel} <select id="theme-choice">
          <option value="auto">${themeNames.auto}</option><option value="light">${themeNames.light}</option><option value="dark">${themeNames.dark}</option>
        </select></label>
        <form method="get" action="#comments-section"><label>${page.languageLabel} <select name="lang" id="language-choice">
          ${languages.map((lang) => `<option value="${lang}" lang="${lang}"${lang === page.widgetLang ? " selected" : ""}>${languageNames[lang]}</option>`).join("")}
        </select></label> <button type="submit">OK</button></form>
      </div>
      ${scripts.demoToken ? `<p class="choices" id="demo-sign-in"><button type="button" data-role="reader">${page.demoSignIn.reader}</button> <button type="button" data-role="staff">${page.demoSignIn.staff}</button> <span aria-live="polite"></span></p>` : ""}
      <div id="comments" data-site="demo" data-thread="${page.thread}" data-lang="${page.widgetLang}"></div>
    </section>
  </main>
  <aside>
    <h2>${page.listHeading}</h2>
    <ol class="stories">
      ${page.stories
        .map((story) => `<li><a href="#">${story.title}</a><span class="meta">${story.section} · <span data-comments-count data-site="demo" data-thread="${story.thread}">&nbsp;</span></span></li>`)
        .join("\n      ")}
    </ol>
  </aside>
</div>
<footer><div class="in">${page.footer}</div></footer>
<script>
document.getElementById("theme-choice").addEventListener("change", function (event) {
  document.getElementById("comments").setAttribute("data-theme", event.target.value);
});
document.getElementById("language-choice").addEventListener("change", function (event) {
  event.target.form.submit();
});
${scripts.demoToken ? demoSignInScript(scripts.demoToken, page.demoSignIn.unavailable) : ""}
</script>
<script src="${scripts.embed}" async></script>
<script src="${scripts.count}" async></script>
</body>
</html>
`;
}
