import { describe, expect, it } from 'vitest';
import { chartSvg, compact, escapeXml, ticks, type Chart } from '../src/soak/svg-chart.js';

const chart: Chart = {
  title: 'Soak <1,000,000 tasks> & "retention"',
  xLabel: 'tasks completed (thousands)',
  panels: ['Throughput', 'Storage size', 'Process RSS'].map((title, p) => ({
    title,
    yLabel: p === 0 ? 'tasks/s' : 'MB',
    series: ['postgres', 'sqlite', "redis <o'brien> & co"].map((name, s) => ({
      name,
      points: Array.from({ length: 10 }, (_, i) => [i * 100, (p + 1) * (s + 1) * 1000 + i * 7] as [number, number]),
    })),
  })),
};

/** Elements in document order, checking that every opened tag is closed in order (an XML-ish well-formedness check). */
function checkNesting(svg: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else {
      seen.push(name!);
      if (!selfClose) stack.push(name!);
    }
  }
  expect(stack).toEqual([]);
  return seen;
}

describe('soak chart SVG', () => {
  const svg = chartSvg(chart);

  it('is one well-formed svg element: every tag matched, attributes quoted, no stray < or &', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const elements = checkNesting(svg);
    expect(elements[0]).toBe('svg');
    // Outside tags, text has no raw < and every & starts an entity.
    const text = svg.replace(/<[^>]*>/g, '');
    expect(text).not.toMatch(/[<>]/);
    expect(text.match(/&(?!(amp|lt|gt|quot|apos);)/g)).toBeNull();
  });

  it('has one path per backend per panel, each naming its series', () => {
    const paths = [...svg.matchAll(/<path data-series="([^"]*)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(3 * 3);
    for (const name of ['postgres', 'sqlite', 'redis &lt;o&apos;brien&gt; &amp; co'])
      expect(paths.filter((p) => p === name)).toHaveLength(3);
    expect(svg.match(/<g class="panel">/g)).toHaveLength(3);
  });

  it('escapes labels and titles', () => {
    expect(svg).toContain('Soak &lt;1,000,000 tasks&gt; &amp; &quot;retention&quot;');
    expect(svg).toContain('>redis &lt;o&apos;brien&gt; &amp; co</text>');
    expect(svg).not.toContain("<o'brien>");
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  it('labels the axes with round ticks covering the data', () => {
    expect(svg).toContain('tasks completed (thousands)');
    expect(svg).toContain('>tasks/s</text>');
    expect(ticks(9_100, 4)).toEqual([0, 5000, 10000]);
    expect(ticks(900, 8)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(compact(1500)).toBe('1.5k');
    expect(compact(2_000_000)).toBe('2M');
  });

  it('draws no path for a series without points (and stays well-formed)', () => {
    const empty = chartSvg({ ...chart, panels: [{ title: 't', yLabel: 'y', series: [{ name: 'a', points: [] }] }] });
    expect(empty).not.toContain('<path');
    checkNesting(empty);
  });
});
