import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createRegistry, defaultRegistry, record, ViolationReporter, type Logger, type Mode } from '@stateproof/core';

const V = Type.String();

function reporter(mode: Mode) {
  const warnings: string[] = [];
  const logger: Logger = { warn: (m) => warnings.push(m) };
  return { reporter: new ViolationReporter(mode, logger), warnings };
}

describe('registry lifecycle', () => {
  it('is open until sealed, then sealed with the mode of its runtime', () => {
    const r = createRegistry();
    expect(r.state).toBe('open');
    r.seal(reporter('enforce').reporter);
    expect(r.state).toBe('sealed');
    expect(r.mode).toBe('enforce');
    r.seal(reporter('off').reporter);
    expect(r.mode).toBe('enforce');
  });

  it('shares one process-wide default registry', () => {
    expect(defaultRegistry()).toBe(defaultRegistry());
  });

  it('ignores a semantically equal re-definition (a module loaded twice)', () => {
    const r = createRegistry();
    const a = record('same', { durability: 'shared-durable', value: V, description: 'one', registry: r });
    record('same', { durability: 'shared-durable', value: V, description: 'two', registry: r });
    const { reporter: rep } = reporter('enforce');
    expect(() => r.seal(rep)).not.toThrow();
    expect(r.get('same')).toBe(a);
  });

  describe.each(['off', 'warn', 'enforce'] as const)('in %s mode', (mode) => {
    it('reports a duplicate id found before the seal when sealing', () => {
      const r = createRegistry();
      record('dup', { durability: 'shared-durable', value: V, registry: r });
      record('dup', { durability: 'ephemeral', value: V, registry: r });
      const { reporter: rep, warnings } = reporter(mode);
      if (mode === 'enforce')
        expect(() => r.seal(rep)).toThrow(expect.objectContaining({ code: 'STATEPROOF_DUPLICATE_ID' }));
      else expect(() => r.seal(rep)).not.toThrow();
      expect(rep.violations.map((v) => v.code)).toEqual(['STATEPROOF_DUPLICATE_ID']);
      expect(warnings).toHaveLength(mode === 'warn' ? 1 : 0);
    });

    it('reports a non-ephemeral definition after the seal, and allows an ephemeral one', () => {
      const r = createRegistry();
      const { reporter: rep, warnings } = reporter(mode);
      r.seal(rep);
      const define = () => record('late', { durability: 'shared-durable', value: V, registry: r });
      if (mode === 'enforce') {
        expect(define).toThrow(expect.objectContaining({ code: 'STATEPROOF_RUNTIME_DEFINITION' }));
        expect(r.get('late')).toBeUndefined();
      } else {
        expect(define().id).toBe('late');
        expect(r.get('late')).toBeDefined();
      }
      expect(rep.violations.map((v) => v.code)).toEqual(['STATEPROOF_RUNTIME_DEFINITION']);
      expect(warnings).toHaveLength(mode === 'warn' ? 1 : 0);
      record('late-ephemeral', { durability: 'ephemeral', value: V, registry: r });
      expect(rep.violations).toHaveLength(1);
    });
  });

  it('warns once per surface, not once per call', () => {
    const r = createRegistry();
    const { reporter: rep, warnings } = reporter('warn');
    r.seal(rep);
    for (let i = 0; i < 3; i++) record('loop', { durability: 'shared-durable', value: V, registry: r });
    record('other', { durability: 'shared-durable', value: V, registry: r });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('STATEPROOF_RUNTIME_DEFINITION');
  });
});
