import { describe, expect, it } from 'vitest';
import { MEMORY_MUTANTS as ALL_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { runConformance } from '@stateproof/conformance';

describe('class selection', () => {
  it('runs the restart checks only for classes that promise to survive a restart', async () => {
    const ephemeral = await runConformance({
      target: memoryTarget(),
      kinds: ['record'],
      property: 'record/reopen',
      runs: 5,
      seed: 1,
    });
    const rec = ephemeral.requirements.find((r) => r.id === 'REC-032');
    expect(rec).toMatchObject({ status: 'skip' });
    expect(rec?.reason).toContain('not ephemeral');
  });

  it('catches an in-process adapter that claims restart-safe-local: its writes vanish on restart', async () => {
    const liar = ALL_MUTANTS.find((m) => m.name === 'memory-claims-restart-safe-local');
    expect(liar).toBeDefined();
    const report = await runConformance({
      target: liar!.target(),
      kinds: ['record'],
      property: 'record/reopen',
      runs: 5,
      seed: 1,
    });
    expect(report.verdict).toBe('fail');
    const rec = report.requirements.find((r) => r.id === 'REC-032');
    expect(rec).toMatchObject({ status: 'fail', properties: ['record/reopen [restart-safe-local]'] });
    expect(rec?.reason).toContain('after a restart');
    expect(report.certificate.classes).toEqual([{ class: 'restart-safe-local', kind: 'record', verdict: 'fail' }]);
  });
});
