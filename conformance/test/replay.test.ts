import { describe, expect, it } from 'vitest';
import { MEMORY_MUTANTS as ALL_MUTANTS } from '@stateproof/adapter-memory/conformance';
import { runConformance } from '@stateproof/conformance';

describe('failures shrink and replay', () => {
  it('replays a shrunk counterexample exactly from the seed and path it printed', async () => {
    const mutant = ALL_MUTANTS.find((m) => m.name === 'record-ignores-cas')!;
    const first = await runConformance({
      target: mutant.target(),
      kinds: ['record'],
      property: 'record/model',
      runs: 50,
      seed: 99,
    });
    const failed = first.requirements.find((r) => r.status === 'fail');
    expect(failed?.replay?.path).toBeTruthy();
    expect(failed?.replay?.command).toMatch(
      /^stateproof conform --adapter mutant:record-ignores-cas --property record\/model --class ephemeral --seed 99 --path \S+ --replay-path \S+$/,
    );
    const outcome = first.outcomes.find((o) => o.status === 'fail')!;
    // Shrunk: a handful of commands, not the 60 a run may hold.
    expect((outcome.counterexample ?? '').split('put(').length).toBeLessThanOrEqual(4);

    const again = await runConformance({
      target: mutant.target(),
      kinds: ['record'],
      property: 'record/model',
      seed: 99,
      path: failed!.replay!.path!,
      replayPath: failed!.replay!.replayPath!,
    });
    const replayed = again.outcomes.find((o) => o.name === 'record/model')!;
    expect(replayed.status).toBe('fail');
    expect(replayed.counterexample).toBe(outcome.counterexample);
    expect(replayed.runs).toBe(1);
  });
});
