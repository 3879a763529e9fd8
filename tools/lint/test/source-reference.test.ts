import { describe, expect, it } from 'vitest';
import { extractFromSources, manifestDocument } from '../src/index.js';

/** Extracts in-memory files under /virtual as a project. */
function extract(files: Record<string, string>) {
  const sources = Object.entries(files).map(([name, text]) => ({ path: `/virtual/${name}`, text }));
  return extractFromSources(sources, { cwd: '/virtual', root: '/virtual' });
}

describe('a source given as the surface itself', () => {
  it('is followed to its definition, across files and through .id, and the manifest records its id', () => {
    const result = extract({
      'ids.ts': "export const ORDERS = 'orders.log';",
      'orders.ts': [
        "import { Type } from '@sinclair/typebox';",
        "import { log } from '@stateproof/core';",
        "import { ORDERS } from './ids.js';",
        "export const ordersLog = log(ORDERS, { durability: 'shared-durable', value: Type.Object({ customer: Type.String(), cents: Type.Integer() }) });",
      ].join('\n'),
      'totals.ts': [
        "import { Type } from '@sinclair/typebox';",
        "import { record, log as defineLog } from '@stateproof/core';",
        "import * as orders from './orders.js';",
        "import { ordersLog } from './orders.js';",
        "export const totals = record('orders.totals', { durability: 'derived-projection', source: ordersLog, value: Type.Integer() });",
        "export const byDay = defineLog('orders.by-day', { durability: 'derived-projection', source: orders.ordersLog.id, value: Type.Integer() });",
      ].join('\n'),
    });
    expect(result.diagnostics).toEqual([]);
    const manifest = manifestDocument(result.surfaces);
    expect(manifest.surfaces.map((s) => `${s.id} <- ${s.source ?? '-'}`)).toEqual([
      'orders.by-day <- orders.log',
      'orders.log <- -',
      'orders.totals <- orders.log',
    ]);
  });

  it('is non-static-options when the reference cannot be followed, and invalid-definition when it names no valid id', () => {
    const result = extract({
      'a.ts': [
        "import { Type } from '@sinclair/typebox';",
        "import { record } from '@stateproof/core';",
        "import { elsewhere } from 'some-package';",
        "export const a = record('a', { durability: 'derived-projection', source: elsewhere, value: Type.Integer() });",
        "export const b = record('b', { durability: 'derived-projection', source: 'bad\\u0001id', value: Type.Integer() });",
      ].join('\n'),
    });
    expect(result.diagnostics.map((d) => `${d.line} ${d.rule}`)).toEqual([
      '4 non-static-options',
      '5 invalid-definition',
    ]);
  });
});
