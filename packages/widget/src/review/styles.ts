import { darkTheme as dark, lightTheme as light } from "../theme.ts";

/** The review page's stylesheet (inlined in the page; its hash is allowed by the page's CSP). */
export const reviewCss = `
:root{${light};color-scheme:light}
:root[data-theme=dark]{${dark}}
@media(prefers-color-scheme:dark){:root[data-theme=auto]{${dark}}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 var(--cw-font,system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Tahoma,sans-serif)}
#cw-review{max-width:60rem;margin:0 auto;padding:1rem}
a{color:var(--ac)}
:focus-visible{outline:3px solid var(--ac);outline-offset:2px}
@media(prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
button,select,input{min-height:24px;min-width:24px}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;border-bottom:1px solid var(--bd);padding-bottom:.5rem}
.top h1{font-size:1.3rem;margin:0;margin-inline-end:auto}
.tools{display:flex;gap:.5rem;align-items:center}
button,select,input{font:inherit;color:var(--fg);background:var(--fi);border:1px solid var(--bd);border-radius:6px;padding:.3rem .6rem}
button{cursor:pointer}
button.primary{background:var(--ac);color:var(--on);border-color:var(--ac)}
button.danger{border-color:var(--er);color:var(--er)}
kbd{font:.8em ui-monospace,monospace;border:1px solid var(--bd);border-radius:4px;padding:0 .3em;color:var(--mu)}
button.primary kbd{color:inherit;border-color:currentColor}
.live{min-height:1.5em;margin:.5rem 0;color:var(--mu)}
.live.error,.field-error{color:var(--er)}
.warning{background:var(--pe);padding:.5rem;border-radius:6px}
.hint{color:var(--mu);font-size:.875em;margin:.25rem 0}
.sign-in{display:grid;gap:.4rem;max-width:26rem;margin:2rem auto}
.sign-in h2{margin:0 0 .5rem}
.tabs{display:flex;gap:.25rem;border-bottom:1px solid var(--bd);margin-bottom:.75rem}
.tabs [role=tab]{border:0;border-bottom:3px solid transparent;border-radius:0;background:none}
.tabs [role=tab][aria-selected=true]{border-bottom-color:var(--ac);font-weight:600}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.75rem}
.toolbar .summary{margin:0;margin-inline-end:auto}
.toolbar input{min-width:16rem}
.queue{list-style:none;margin:0;padding:0}
.item{border:1px solid var(--bd);border-radius:8px;padding:.75rem;margin-bottom:.6rem}
.item[aria-current=true]{border-color:var(--ac);box-shadow:0 0 0 2px var(--ac)}
.item.flagged{border-inline-start:4px solid var(--er)}
.meta,.who{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.875em;color:var(--mu)}
.who .author{font-weight:600;color:var(--fg);font-size:1.1em}
.status.pending{color:var(--fg)}
.reasons{margin:.4rem 0;padding-inline-start:1.2rem;color:var(--er)}
.body{overflow-wrap:anywhere;border-inline-start:3px solid var(--bd);padding-inline-start:.75rem}
.body p{margin:.35rem 0}
.body pre{overflow:auto}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.6rem}
.ban-form{border:2px solid var(--er);border-radius:8px;padding:.75rem;margin-bottom:.75rem}
.ban-form .fields{display:grid;grid-template-columns:auto 1fr;gap:.4rem .6rem;align-items:center}
.ban-form .buttons{display:flex;gap:.5rem;margin-top:.5rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9em}
caption{text-align:start;color:var(--mu);padding:.25rem 0}
th,td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid var(--bd);vertical-align:top}
td.ids{font-family:ui-monospace,monospace;font-size:.85em;overflow-wrap:anywhere}
.keys{color:var(--mu);font-size:.875em;margin-top:1rem}
`;
