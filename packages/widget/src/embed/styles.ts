import { darkTheme as dark, lightTheme as light } from "../theme.ts";

/**
 * The widget's stylesheet, scoped to its shadow root. `:host` rules are `!important` because inside a shadow
 * tree they then beat any host-page rule (even `* { display: none !important }`); `.cw { all: initial }`
 * stops inherited host fonts and colours.
 */
export const css = `
:host{display:block!important;visibility:visible!important;opacity:1!important;contain:content}
.cw{all:initial;display:block;position:relative;box-sizing:border-box;padding:var(--cw-padding,1rem);border-radius:var(--cw-radius,8px);background:var(--bg);color:var(--fg);font:var(--cw-font-size,16px)/1.5 var(--cw-font,system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Tahoma,sans-serif);color-scheme:light;${light}}
.cw.dark{${dark}}
@media(prefers-color-scheme:dark){.cw.auto{${dark}}}
*{box-sizing:border-box}
[hidden]{display:none!important}
h2{font-size:1.3em;line-height:1.3;margin:0 0 .5em}
h3{font-size:1.1em;margin:0}
ol{list-style:none;margin:0;padding:0}
article{padding:.75em 0;border-top:1px solid var(--bd)}
ol ol{margin-inline-start:.9em;padding-inline-start:.9em;border-inline-start:2px solid var(--bd)}
ol ol article{border-top:0;padding-bottom:.25em}
.m{display:flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline;color:var(--mu);font-size:.875em}
.au{font-weight:600;font-size:1.07em;color:var(--fg);unicode-bidi:isolate}
a{color:var(--ac)}
.bd{overflow-wrap:anywhere;unicode-bidi:isolate}
.bd p{margin:.35em 0}
.bd code,.bd pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:var(--fi);border-radius:3px}
.bd pre{overflow:auto;padding:.5em}
.pe>article{background:var(--pe);padding-inline:.5em}
.hl{background:var(--pe);outline:2px solid var(--ac);outline-offset:2px;padding-inline:.5em}
.ac{display:flex;flex-wrap:wrap;gap:.2em .8em}
.lk[aria-pressed=true]{font-weight:700;text-decoration:none}
.nw{min-height:2.9em}.nw .more{margin:0}
.ft{margin-bottom:1em}.ft h3{margin-bottom:.3em}
.badge{font-size:.8em;border:1px solid currentColor;border-radius:1em;padding:0 .5em}
.av{width:32px;height:32px;border-radius:50%;align-self:center;display:inline-grid;place-items:center;background:var(--fi);color:var(--fg);font-weight:600;object-fit:cover}
.vf{color:var(--ac);font-weight:700}
.sf{color:var(--ac)}
.ac{display:flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline}
.ow{display:inline-flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline}
.ed{margin-top:.5em}
.dl .hint{font-style:italic}
button,input,textarea,select{font:inherit;color:inherit}
button{cursor:pointer}
.lk{background:none;border:0;padding:0 .2em;min-height:24px;min-width:24px;color:var(--ac);font-size:.875em;text-decoration:underline}
.btn{background:var(--ac);color:var(--on);border:0;border-radius:6px;padding:.55em 1.2em;font-weight:600;justify-self:start}
.btn[aria-disabled=true]{opacity:.6;cursor:progress}
.more{margin-top:.75em;background:none;border:1px solid var(--bd);border-radius:6px;padding:.4em 1em}
form{display:grid;gap:.6em;margin-top:1em}
label{display:block;font-weight:600;font-size:.9em;margin-bottom:.2em}
input,textarea,select{background:var(--fi);border:1px solid var(--bd);border-radius:6px;padding:.5em .6em;width:100%}
select{width:auto}
textarea{min-height:6.5em;resize:vertical}
.row{display:grid;gap:.6em;grid-template-columns:repeat(auto-fit,minmax(11em,1fr))}
[aria-invalid=true]{border-color:var(--er);box-shadow:0 0 0 1px var(--er)}
.fe,.err{color:var(--er)}
.fe,.hint{margin:.2em 0 0;font-size:.85em}
.fe:empty{display:none}
.hint{color:var(--mu)}
.st{margin:0;min-height:1.5em}
.to,.tc{margin:0;font-size:.9em;color:var(--mu)}
.tc label{display:inline;font-weight:400}
.nt{margin:.6em 0}.nt input{width:24px;height:24px}.nt label{display:inline;font-weight:400;margin-inline-start:.3em}.nt select{margin-inline-start:.3em}
.ng{border:1px solid var(--er);border-radius:6px;padding:.5em .75em}.ng p,.ng ul{margin:0}.ng .more{margin-top:.5em}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
:focus-visible{outline:2px solid var(--ac);outline-offset:2px}
@media(prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;
