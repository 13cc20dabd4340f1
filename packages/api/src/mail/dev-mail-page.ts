import { Hono } from "hono";
import type { DevMailbox, KeptMail } from "./transports/dev-mailbox.ts";
import { escapeHtml } from "./compose/html.ts";

/**
 * The policy of the dev mailbox page: no script anywhere, styles inline only, nothing loaded from elsewhere.
 * A kept mail's HTML is shown in a sandboxed frame (no scripts, no same origin), so a comment quoted in a
 * mail can never act on the page.
 */
export const devMailPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** The HTML page listing the kept mails, newest first: headers, the HTML part rendered, the text part. */
export function renderDevMailPage(mails: readonly KeptMail[]): string {
  const items = mails.map(renderMail).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev mailbox (${mails.length})</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1f2328; }
article { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; padding: 0.75rem 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.75rem; margin: 0 0 0.5rem; }
dt { color: #59636e; } dd { margin: 0; overflow-wrap: anywhere; }
iframe { border: 1px solid #d0d7de; width: 100%; height: 24rem; background: #fff; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 0.75rem; }
</style>
</head>
<body>
<h1>Dev mailbox</h1>
<p>Every mail the service would have sent, newest first. Nothing here left this machine.</p>
${mails.length === 0 ? "<p>No mail yet.</p>" : items}
</body>
</html>`;
}

function renderMail(mail: KeptMail): string {
  const { message } = mail;
  const headers: Array<[string, string]> = [
    ["To", message.to],
    ["From", message.from],
    ["Subject", message.subject],
    ["Date", mail.receivedAt],
    ["Kind", message.kind],
    ["Language", `${message.language} (${message.direction})`],
    ...Object.entries(message.headers),
  ];
  // The frame gets links that open outside it; the sandbox keeps scripts and the page's origin away.
  const framed = `<base target="_blank">${message.html}`;
  return `<article id="mail-${mail.id}">
<h2>${escapeHtml(message.subject)}</h2>
<dl>${headers.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>
<iframe title="${escapeHtml(`HTML part of mail ${mail.id}`)}" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(framed)}"></iframe>
<details><summary>Plain text part</summary><pre dir="${message.direction}" lang="${escapeHtml(message.language)}">${escapeHtml(message.text)}</pre></details>
</article>`;
}

/**
 * A Hono sub-app serving the dev mailbox: `GET /` (the page) and `GET /:id.json` (one kept mail), for the
 * local server to mount at `/dev/mail`. Never part of the Lambda app.
 * @example localApp.route("/dev/mail", devMailRoutes(mailbox));
 */
export function devMailRoutes(mailbox: DevMailbox): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    c.header("Content-Security-Policy", devMailPagePolicy);
    c.header("Cache-Control", "no-store");
    return c.html(renderDevMailPage(mailbox.list()));
  });
  app.get("/:file{[0-9]+\\.json}", (c) => {
    const mail = mailbox.get(Number(c.req.param("file").replace(/\.json$/, "")));
    if (!mail) return c.json({ error: { code: "not_found", message: "No such mail in the dev mailbox." } }, 404);
    c.header("Cache-Control", "no-store");
    return c.json(mail);
  });
  return app;
}
