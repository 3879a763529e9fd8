import { describe, expect, it } from 'vitest';
import { MEMORY_MUTANTS as ALL_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { runConformance, SelectionError } from '@stateproof/conformance';

describe('class selection', () => {
  it('runs the restart checks only for classes that promise to survive a restart (an ephemeral adapter runs none: refused)', async () => {
    const run = runConformance({
      target: memoryTarget(),
      kinds: ['record'],
      property: 'record/reopen',
      runs: 5,
      seed: 1,
    });
    await expect(run).rejects.toBeInstanceOf(SelectionError);
    await expect(run).rejects.toMatchObject({ code: 'STATEPROOF_NOTHING_SELECTED', path: 'property' });
    await expect(run).rejects.toThrow(/runs no property .*not ephemeral/);
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
    expect(report.certificate.classes).toEqual([
      expect.objectContaining({ class: 'restart-safe-local', kind: 'record', verdict: 'fail' }),
    ]);
    expect(report.certificate.classes[0]?.checks.find((c) => c.check === 'reopen')).toMatchObject({
      status: 'fail',
      detail: '1 of 1 properties failed: record/reopen',
    });
  });
});
