import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeScopePart, scopedSpace, type RuntimeScope, type ScopeLevel } from '@stateproof/core';

// Any string, including separators, percent signs, pattern characters and astral characters.
const part = fc.string({
  unit: fc.constantFrom(
    'a',
    'b',
    ':',
    '%',
    '3',
    'A',
    '*',
    '?',
    '[',
    ']',
    '\\',
    '^',
    '{',
    '}',
    ',',
    '|',
    'é',
    '😀',
    ' ',
    'd',
  ),
  maxLength: 8,
});
const anyPart = fc.oneof(part, fc.string({ unit: 'binary', maxLength: 8 }));
const scope = fc.record({ namespace: anyPart, app: anyPart, deployment: anyPart });
const level = fc.constantFrom<ScopeLevel>('app', 'deployment');
const target = fc.record({ scope, level, surface: anyPart });

type Target = { scope: RuntimeScope; level: ScopeLevel; surface: string };
const identity = (t: Target) =>
  t.level === 'app'
    ? JSON.stringify(['a', t.scope.namespace, t.scope.app, t.surface])
    : JSON.stringify(['d', t.scope.namespace, t.scope.app, t.scope.deployment, t.surface]);

describe('key scoping', () => {
  it('gives different scopes different spaces, none a prefix of another, so scoped keys never collide', () => {
    fc.assert(
      fc.property(target, target, anyPart, anyPart, (a, b, keyA, keyB) => {
        const sa = scopedSpace(a.scope, a.level, a.surface);
        const sb = scopedSpace(b.scope, b.level, b.surface);
        if (identity(a) === identity(b)) {
          expect(sa).toBe(sb);
          return;
        }
        expect(sa).not.toBe(sb);
        expect(sb.startsWith(sa)).toBe(false);
        expect(sa.startsWith(sb)).toBe(false);
        expect(sa + keyA).not.toBe(sb + keyB);
      }),
      { numRuns: 2000 },
    );
  });

  it('makes app-scoped spaces independent of the deployment', () => {
    fc.assert(
      fc.property(scope, anyPart, anyPart, (s, otherDeployment, surface) => {
        expect(scopedSpace(s, 'app', surface)).toBe(scopedSpace({ ...s, deployment: otherDeployment }, 'app', surface));
      }),
    );
  });

  it('keeps pattern and separator characters out of the encoded parts', () => {
    fc.assert(
      fc.property(anyPart, (p) => {
        expect(encodeScopePart(p)).not.toMatch(/[:*?[\]\\^{},]/);
      }),
    );
    expect(scopedSpace({ namespace: 'n:s', app: 'a*', deployment: 'd%' }, 'deployment', 'orders.by-id')).toBe(
      'sp1:n%3As:d:a%2A:d%25:orders.by-id:',
    );
  });
});
