import { describe, expect, it } from 'vitest';
import { MEMORY_MUTANTS as ALL_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { runConformance, SelectionError, type ConformanceTarget } from '@stateproof/conformance';
import type { Adapter } from '@stateproof/core';

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

  it('fails a claimed class the backend cannot hold, by the probe, with its reasons, without running its properties', async () => {
    const honest = memoryTarget();
    // The memory adapter on a "backend" whose probe refuses ephemeral: as a Redis without persistence refuses shared-durable.
    const refusing: ConformanceTarget = {
      ...honest,
      name: 'memory (probe refuses ephemeral)',
      create: async (o) => {
        const adapter = (await honest.create(o)) as Adapter;
        const probe = adapter.probe.bind(adapter);
        return Object.assign(adapter, {
          probe: async () => {
            const p = await probe();
            return {
              ...p,
              classes: p.classes.map((c) =>
                c.class === 'ephemeral'
                  ? { ...c, certified: false, reasons: ['appendonly=no; to certify: turn it on'] }
                  : c,
              ),
            };
          },
        });
      },
    };
    const progress: string[] = [];
    const report = await runConformance({
      target: refusing,
      kinds: ['record'],
      runs: 3,
      seed: 1,
      onProgress: (e) => e.type === 'property-done' && progress.push(e.outcome.status),
    });
    expect(report.verdict).toBe('fail');
    expect(report.certificate.verdict).toBe('fail');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((s) => s === 'skip')).toBe(true);
    expect(report.certificate.classes).toEqual([
      expect.objectContaining({ class: 'ephemeral', kind: 'record', verdict: 'fail' }),
    ]);
    const model = report.certificate.classes[0]?.checks.find((c) => c.check === 'model');
    expect(model?.detail).toContain("not run: the backend's probe refuses ephemeral");
    expect(report.requirements.every((r) => r.status === 'skip')).toBe(true);
    expect(report.requirements[0]?.reason).toContain(
      "the backend cannot hold ephemeral, by its adapter's probe: appendonly=no; to certify: turn it on",
    );
  });
});
