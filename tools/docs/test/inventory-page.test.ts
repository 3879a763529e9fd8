import { describe, expect, it } from 'vitest';
import type { SurfaceDefinitionDocument } from '@stateproof/spec';
import { inventoryPage, mermaidLabel, packDiagrams, surfaceAnchor } from '@stateproof/docs';

function surface(id: string, extra: Partial<SurfaceDefinitionDocument> = {}): SurfaceDefinitionDocument {
  return {
    id,
    kind: 'record',
    class: 'shared-durable',
    scope: 'app',
    schemaVersion: 1,
    schemas: {},
    bounds: { maxValueBytes: 1024 },
    options: {},
    ...extra,
  } as SurfaceDefinitionDocument;
}

const mermaidBlocks = (text: string) => [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('inventory page', () => {
  const surfaces = [
    surface('orders', { kind: 'log', owner: 'billing', recovery: 'replay from the broker' }),
    surface('orders.by-customer', { class: 'derived-projection', source: 'orders', owner: 'billing' }),
    surface('audit', {
      kind: 'log',
      class: 'telemetry',
      bounds: { maxValueBytes: 4096, maxEntries: 1000, maxAgeMs: 86_400_000 },
    }),
  ];
  const input = {
    title: 'shop',
    from: 'state.yaml',
    surfaces,
    current: { orders: { backend: 'postgres://db/shop' } },
    gaps: [
      {
        surfaceId: 'orders',
        declared: 'shared-durable' as const,
        current: 'ephemeral' as const,
        lost: 'acknowledged writes',
      },
    ],
    command: 'stateproof docs inventory --inventory state.yaml --out docs',
  };

  it('groups surfaces by class with their fields, and lists the gaps linked to their rows', () => {
    const { text } = inventoryPage(input);
    expect(text.indexOf('## Shared durable')).toBeLessThan(text.indexOf('## Derived projection'));
    expect(text.indexOf('## Derived projection')).toBeLessThan(text.indexOf('## Telemetry'));
    expect(text).toContain('replay from the broker');
    expect(text).toContain('orders (shared-durable)');
    expect(text).toContain('value ≤ 4 KiB, ≤ 1000 entries, ≤ 1 d old');
    expect(text).toContain(`[orders](#${surfaceAnchor('orders')})`);
    expect(text).toContain(`<a id="${surfaceAnchor('orders')}"></a>`);
    expect(text).toContain('postgres://db/shop (gap)');
  });

  it('draws owners -> surfaces -> backends and projections -> sources, the source declared in the diagram that uses it', () => {
    const blocks = mermaidBlocks(inventoryPage(input).text);
    expect(blocks).toHaveLength(3);
    const projection = blocks[1]!;
    const source = /(s\d+)\["orders \(shared-durable\)"\]/.exec(projection)?.[1];
    expect(source).toBeDefined();
    expect(projection).toMatch(new RegExp(`s\\d+ -\\. source \\.-> ${source}`));
    expect(blocks[0]).toMatch(/\[\("postgres:\/\/db\/shop"\)\]/);
    expect(blocks[0]).toMatch(/o\d+ --> s\d+/);
  });

  it('is deterministic whatever the order of the surfaces', () => {
    expect(inventoryPage({ ...input, surfaces: [...surfaces].reverse() })).toEqual(inventoryPage(input));
  });

  it('splits a class whose diagram would pass the limits, each part within them and every surface drawn', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      surface(`s.${String(i).padStart(2, '0')}`, { owner: `team-${i % 7}` }),
    );
    const current = Object.fromEntries(many.map((s, i) => [s.id, { backend: `db-${i % 3}` }]));
    const limits = { maxEdges: 25, maxChars: 2000 };
    const { text } = inventoryPage({ ...input, surfaces: many, current, gaps: [], mermaid: limits });
    const blocks = mermaidBlocks(text);
    expect(blocks.length).toBeGreaterThan(4);
    expect(text).toContain(`Diagram 1 of ${blocks.length}:`);
    for (const b of blocks) {
      expect(b.split('\n').filter((l) => l.includes('-->')).length).toBeLessThanOrEqual(limits.maxEdges);
      expect(b.length).toBeLessThanOrEqual(limits.maxChars);
      // Every edge's ends are declared in the same diagram.
      const declared = new Set([...b.matchAll(/^ {2}([sob]\d+)[[(]/gm)].map((m) => m[1]));
      for (const [, from, to] of b.matchAll(/^ {2}([sob]\d+) --> ([sob]\d+)$/gm)) {
        expect(declared.has(from)).toBe(true);
        expect(declared.has(to)).toBe(true);
      }
    }
    for (const s of many) expect(blocks.filter((b) => b.includes(`"${s.id} (record)"`))).toHaveLength(1);
  });

  it('packs units in order and never splits one', () => {
    const unit = (n: number) => ({
      nodes: new Map([[`s${n}`, `s${n}["x"]`]]),
      edges: [`s${n} --> s${n}`, `s${n} --> s${n}`],
    });
    const diagrams = packDiagrams([unit(1), unit(2), unit(3)], { maxEdges: 4, maxChars: 10_000 });
    expect(diagrams).toHaveLength(2);
    expect(diagrams[0]).toContain('s2');
    expect(diagrams[1]).toContain('s3');
  });

  it('quotes labels so that user text cannot break the diagram', () => {
    expect(mermaidLabel('a "quoted" <b>')).toBe('"a #quot;quoted#quot; #lt;b#gt;"');
  });
});

describe('escaping and anchors', () => {
  it('gives surfaces whose ids slug alike distinct anchors, each link landing on its own row', () => {
    const page = inventoryPage({
      title: 't',
      from: 'x',
      surfaces: [surface('orders.v1'), surface('orders-v1')],
      gaps: [
        { surfaceId: 'orders.v1', declared: 'shared-durable', current: 'ephemeral', lost: 'x' },
        { surfaceId: 'orders-v1', declared: 'shared-durable', current: 'ephemeral', lost: 'y' },
      ],
      command: 'c',
    }).text;
    const anchors = [...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
    expect(new Set(anchors).size).toBe(2);
    expect(anchors).toEqual(expect.arrayContaining(['surface-orders-v1', 'surface-orders-v1-2']));
    for (const a of anchors) expect(page).toContain(`](#${a})`);
  });

  it('keeps user text from breaking a table, a link or a diagram', () => {
    const page = inventoryPage({
      title: 't',
      from: 'x',
      surfaces: [surface('a|b]c', { owner: 'team <x> | #1;', recovery: 'Map<string> | pipe' })],
      gaps: [{ surfaceId: 'a|b]c', declared: 'shared-durable', current: 'ephemeral', lost: 'z' }],
      command: 'c',
    }).text;
    expect(page).toContain('[a\\|b\\]c](#surface-a-b-c)');
    expect(page).toContain('Map&lt;string> \\| pipe');
    expect(page).toContain('owner: team #lt;x#gt; | #35;1;');
  });
});
