import { h } from "./dom.ts";
import { formatNumber, words } from "./i18n.ts";

const svgNs = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: Node[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

/** One row of a chart: its label (a day, a moderator, a reason) and one value per series. */
export interface ChartRow {
  label: string;
  values: number[];
}

/** A chart's data: the series names (the legend and the table's columns) and the rows. */
export interface ChartData {
  title: string;
  /** Heading of the label column of the table. */
  labelHeading: string;
  series: string[];
  rows: ChartRow[];
}

/**
 * A small chart as a figure: a stacked bar chart in inline SVG (one bar per row, one colour per series, colours
 * from the page's stylesheet so both themes work) and, beside it, the same figures as a table. The SVG is
 * `role="img"` with a label saying the table has the figures; the figure's caption names both.
 */
export function chartFigure(id: string, data: ChartData, layout: "columns" | "bars" = "columns"): HTMLElement {
  const table = h("table", { class: "chart-table", attrs: { id: `${id}-table` } },
    h("caption", { text: data.title }),
    h("thead", {}, h("tr", {}, h("th", { text: data.labelHeading, attrs: { scope: "col" } }), ...data.series.map((name) => h("th", { text: name, attrs: { scope: "col" } })))),
    h("tbody", {}, ...data.rows.map((row) =>
      h("tr", {}, h("th", { text: row.label, attrs: { scope: "row" } }), ...row.values.map((value) => h("td", { text: formatNumber(value) }))))),
  );
  const chart = layout === "columns" ? columns(data) : bars(data);
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", words().chartOf(data.title));
  chart.setAttribute("class", "chart");
  const legend = data.series.length > 1
    ? h("p", { class: "legend", attrs: { "aria-hidden": "true" } }, ...data.series.flatMap((name, index) => [h("span", { class: `swatch s${index}` }), ` ${name} `]))
    : null;
  return h("figure", { class: "chart-figure", attrs: { id, "aria-labelledby": `${id}-title` } },
    h("figcaption", { text: data.title, attrs: { id: `${id}-title` } }),
    h("div", { class: "chart-pair" }, h("div", { class: "chart-box" }, chart, legend), h("div", { class: "table-wrap" }, table)),
  );
}

/** Upright stacked columns, one per row (days run with the reading direction: the stylesheet mirrors them in RTL). */
function columns(data: ChartData): SVGSVGElement {
  const height = 100;
  const step = 14;
  const width = Math.max(1, data.rows.length) * step;
  const max = Math.max(1, ...data.rows.map((row) => sum(row.values)));
  const rects: SVGElement[] = [];
  data.rows.forEach((row, index) => {
    let top = height;
    row.values.forEach((value, series) => {
      if (value <= 0) return;
      const size = (value / max) * (height - 2);
      top -= size;
      rects.push(svg("rect", { x: index * step + 2, y: top.toFixed(2), width: step - 4, height: size.toFixed(2), class: `s${series}` }));
    });
  });
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, width: Math.max(160, width * 2), height: 120, preserveAspectRatio: "none" },
    svg("line", { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: "axis" }), ...rects);
}

/** Horizontal bars, one per row, for a handful of named rows (moderators, reasons). */
function bars(data: ChartData): SVGSVGElement {
  const width = 200;
  const step = 16;
  const height = Math.max(1, data.rows.length) * step;
  const max = Math.max(1, ...data.rows.map((row) => sum(row.values)));
  const rects: SVGElement[] = [];
  data.rows.forEach((row, index) => {
    let left = 0;
    row.values.forEach((value, series) => {
      if (value <= 0) return;
      const size = (value / max) * width;
      rects.push(svg("rect", { x: left.toFixed(2), y: index * step + 3, width: size.toFixed(2), height: step - 6, class: `s${series}` }));
      left += size;
    });
  });
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, preserveAspectRatio: "none" }, ...rects);
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
