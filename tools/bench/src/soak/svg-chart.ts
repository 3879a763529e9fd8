/** One line of a panel: a name (the legend's) and its points, x ascending. */
export interface ChartSeries {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** One small panel: its own y axis, one line per series. */
export interface ChartPanel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
}

/** Panels stacked vertically over one x axis meaning. */
export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly panels: readonly ChartPanel[];
}

const WIDTH = 760;
const PANEL_HEIGHT = 200;
const LEFT = 78;
const RIGHT = 16;
const TOP = 64;
const PANEL_GAP = 62;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Text for an SVG text node or attribute: the five XML specials escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** Up to about `count` round tick values (1, 2 or 5 × 10^k apart) from 0 to at least `max`. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1]! < max) out.push(Number((out[out.length - 1]! + step).toPrecision(12)));
  return out;
}

/** A tick label: 1,500 → "1.5k", 2,000,000 → "2M". */
export function compact(v: number): string {
  const abs = Math.abs(v);
  const [d, s] = abs >= 1e9 ? [1e9, 'G'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${Number((v / d).toPrecision(3))}${s}`;
}

const f = (n: number) => Number(n.toFixed(1)).toString();

/**
 * The chart as a standalone SVG document, hand-written (no dependency): a title, a legend (one
 * colour per series name, the same in every panel), and per panel a title, axes with round ticks
 * and labels, and one `<path>` per series that has points. Every label is escaped.
 */
export function chartSvg(chart: Chart): string {
  const names = [...new Set(chart.panels.flatMap((p) => p.series.map((s) => s.name)))];
  const color = (name: string) => COLORS[names.indexOf(name) % COLORS.length]!;
  const height = TOP + chart.panels.length * (PANEL_HEIGHT + PANEL_GAP);
  const plotW = WIDTH - LEFT - RIGHT;
  const xMax = Math.max(0, ...chart.panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x))));
  const xTicks = ticks(xMax, 8);
  const xTop = xTicks[xTicks.length - 1]!;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  let lx = LEFT;
  for (const name of names) {
    out.push(
      `<line x1="${lx}" y1="40" x2="${lx + 22}" y2="40" stroke="${color(name)}" stroke-width="2.5"/>`,
      `<text x="${lx + 28}" y="44">${escapeXml(name)}</text>`,
    );
    lx += 40 + name.length * 7;
  }
  chart.panels.forEach((panel, i) => {
    const top = TOP + i * (PANEL_HEIGHT + PANEL_GAP) + 18;
    const bottom = top + PANEL_HEIGHT - 18;
    const yMax = Math.max(0, ...panel.series.flatMap((s) => s.points.map(([, y]) => y)));
    const yTicks = ticks(yMax, 4);
    const yTop = yTicks[yTicks.length - 1]!;
    const px = (x: number) => LEFT + (x / xTop) * plotW;
    const py = (y: number) => bottom - (y / yTop) * (bottom - top);
    out.push(
      `<g class="panel">`,
      `<text x="${LEFT}" y="${top - 8}" font-weight="bold">${escapeXml(panel.title)}</text>`,
    );
    for (const t of yTicks)
      out.push(
        `<line x1="${LEFT}" y1="${f(py(t))}" x2="${WIDTH - RIGHT}" y2="${f(py(t))}" stroke="#e4e4e4"/>`,
        `<text x="${LEFT - 6}" y="${f(py(t) + 4)}" text-anchor="end">${escapeXml(compact(t))}</text>`,
      );
    for (const t of xTicks)
      out.push(
        `<line x1="${f(px(t))}" y1="${bottom}" x2="${f(px(t))}" y2="${bottom + 4}" stroke="#333333"/>`,
        `<text x="${f(px(t))}" y="${bottom + 16}" text-anchor="middle">${escapeXml(compact(t))}</text>`,
      );
    out.push(
      `<line x1="${LEFT}" y1="${top}" x2="${LEFT}" y2="${bottom}" stroke="#333333"/>`,
      `<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}" stroke="#333333"/>`,
      `<text x="${LEFT + plotW / 2}" y="${bottom + 32}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
      `<text transform="translate(16 ${f((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
    );
    for (const s of panel.series) {
      if (s.points.length === 0) continue;
      const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${f(px(x))} ${f(py(y))}`).join(' ');
      out.push(
        `<path data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${color(s.name)}" stroke-width="1.8" stroke-linejoin="round"/>`,
      );
    }
    out.push(`</g>`);
  });
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}
