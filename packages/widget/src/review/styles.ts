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
.tools,.language{display:flex;gap:.5rem;align-items:center}
.filter{display:inline-flex;gap:.3rem;align-items:center}
.toolbar select{max-width:16rem}
.bulk-bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-bottom:.6rem}
.bulk-actions{display:flex;flex-wrap:wrap;gap:.4rem}
.picked-count{font-weight:600}
.bulk-results{border:1px solid var(--bd);border-radius:8px;padding:.5rem .75rem;margin-bottom:.75rem}
.bulk-results h2{font-size:1rem;margin:0}
.bulk-results ol{margin:.25rem 0;padding-inline-start:1.4rem;font-size:.875em}
.result.s404,.result.s409{color:var(--mu)}
.item .pick{margin:0}
.item.picked{background:var(--pe)}
.author-facts{display:flex;flex-wrap:wrap;gap:.2rem .8rem;margin:.3rem 0;font-size:.875em;color:var(--mu)}
.banned-mark{color:var(--er);border:1px solid var(--er);border-radius:4px;padding:0 .3em}
.parent{margin:.4rem 0;padding:.3rem .6rem;border-inline-start:3px dotted var(--bd);color:var(--mu);font-size:.9em}
.parent p{margin:.2rem 0}
.parent-who{font-weight:600}
.history{margin-top:.4rem;font-size:.9em}
.history summary{cursor:pointer;color:var(--ac);min-height:24px}
.old-body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0 .5rem}
.author-view .toolbar h2{margin:0;margin-inline-end:auto;font-size:1.1rem}
.author-comments{list-style:none;margin:0;padding:0}
.author-comment{border:1px solid var(--bd);border-radius:8px;padding:.5rem .75rem;margin-bottom:.5rem}
.author-comment .meta{margin:0}
.purge{display:flex;gap:.4rem;align-items:center;margin:.5rem 0}
.key-form{border-top:1px solid var(--bd);margin-top:1rem;padding-top:.5rem;display:grid;gap:.5rem;max-width:32rem}
.key-form h2{font-size:1.1rem;margin:0}
.key-form .fields{display:grid;grid-template-columns:auto 1fr;gap:.4rem .6rem;align-items:center}
.key-form fieldset{border:1px solid var(--bd);border-radius:6px;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
.new-key{border:2px solid var(--ac);border-radius:8px;padding:.75rem;margin-bottom:.75rem}
.new-key input{font-family:ui-monospace,monospace;min-width:20rem}
.confirm{display:block;margin-bottom:.3rem}
.site-stats h2{font-size:1.15rem}
.site-stats h3{font-size:1rem;margin:.2rem 0}
.facts{display:flex;flex-wrap:wrap;gap:1rem 3rem}
.facts dl{display:grid;grid-template-columns:auto auto;gap:.2rem 1rem;margin:0}
.facts dd{margin:0;font-weight:600}
.chart-figure{margin:1rem 0}
.chart-figure figcaption{font-weight:600}
.chart-pair{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.chart-pair .table-wrap{flex:1;min-width:14rem}
[dir=rtl] svg.chart{transform:scaleX(-1)}
.chart .s0,.swatch.s0{fill:var(--ac);background:var(--ac)}
.chart .s1,.swatch.s1{fill:var(--er);background:var(--er)}
.chart .s2,.swatch.s2{fill:var(--mu);background:var(--mu)}
.chart .axis{stroke:var(--bd)}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;vertical-align:middle}
.legend{font-size:.85em;margin:.2rem 0}
`;
