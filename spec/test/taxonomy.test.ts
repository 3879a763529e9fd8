import { describe, expect, it } from 'vitest';
import {
  ALL_ERROR_CODES,
  CLASSES,
  CLASS_FAULTS,
  FAULTS,
  CONFORMANCE_CHECKS,
  DURABILITY_CLASSES,
  ERROR_CODES,
  KINDS,
  SURFACE_KINDS,
  classAllowsKind,
  meetsDemand,
  unmetFaults,
} from '@stateproof/spec';

describe('the taxonomy as data', () => {
  it('has the five classes with complete definitions', () => {
    expect(DURABILITY_CLASSES).toEqual([
      'ephemeral',
      'restart-safe-local',
      'shared-durable',
      'derived-projection',
      'telemetry',
    ]);
    for (const cls of DURABILITY_CLASSES) {
      const c = CLASSES[cls];
      expect(c.id).toBe(cls);
      expect(Object.keys(c.guarantees).sort()).toEqual([
        'lossAfterAck',
        'mayDriveRecovery',
        'sharedAcrossReplicas',
        'survivesBackendKill',
        'survivesProcessKill',
      ]);
      expect(c.kinds.length).toBeGreaterThan(0);
      expect(c.checks).toContain('model');
      for (const check of c.checks) expect(CONFORMANCE_CHECKS).toHaveProperty(check);
      expect(c.hostedBy).toContain(c.id === 'derived-projection' || c.id === 'telemetry' ? c.hostedBy[0] : cls);
    }
  });

  it('states the rules of the design table', () => {
    expect(SURFACE_KINDS.filter((k) => classAllowsKind('shared-durable', k))).not.toContain('channel');
    expect(DURABILITY_CLASSES.filter((c) => classAllowsKind(c, 'channel'))).toEqual(['ephemeral']);
    expect(CLASSES.telemetry.kinds).toEqual(['log']);
    expect(CLASSES.telemetry.checks).toEqual(
      expect.arrayContaining(['bounded-size', 'non-blocking-append', 'drops-counted']),
    );
    expect(CLASSES.telemetry.guarantees.mayDriveRecovery).toBe(false);
    expect(CLASSES['derived-projection'].checks).toEqual(
      expect.arrayContaining(['rebuild-from-source', 'single-writer']),
    );
    expect(CLASSES['shared-durable'].checks).toEqual(
      expect.arrayContaining(['process-crash', 'concurrent-linearizability', 'backend-crash']),
    );
    expect(CLASSES['restart-safe-local'].checks).toEqual(expect.arrayContaining(['reopen', 'process-crash']));
    expect(CLASSES['restart-safe-local'].checks).not.toContain('backend-crash');
    for (const cls of DURABILITY_CLASSES.filter((c) => CLASSES[c].durable))
      expect(CLASSES[cls].hostedBy).not.toContain('ephemeral');
    expect(CLASSES['shared-durable'].hostedBy).toEqual(['shared-durable']);
  });

  it('gives each kind a requirement prefix and a value option', () => {
    expect(SURFACE_KINDS.map((k) => KINDS[k].requirementPrefix)).toEqual(['REC', 'LOG', 'CLM', 'QUE', 'DSP', 'CHN']);
  });

  it('catalogues every error code with a summary; only backend loss is retryable', () => {
    for (const code of ALL_ERROR_CODES) {
      expect(code).toMatch(/^STATEPROOF_[A-Z_]+$/);
      expect(ERROR_CODES[code].summary.length).toBeGreaterThan(20);
    }
    expect(ALL_ERROR_CODES.filter((c) => ERROR_CODES[c].retryable)).toEqual(['STATEPROOF_BACKEND_UNAVAILABLE']);
  });
});

describe('the faults each class must survive', () => {
  it('is one table over the three faults, for every class', () => {
    expect(FAULTS).toEqual(['process-kill', 'backend-kill', 'os-crash']);
    expect(Object.keys(CLASS_FAULTS).sort()).toEqual([...DURABILITY_CLASSES].sort());
    expect(CLASS_FAULTS['restart-safe-local']).toEqual(CLASS_FAULTS['shared-durable']);
    expect(Object.values(CLASS_FAULTS.ephemeral)).toEqual(['none', 'none', 'none']);
    expect(Object.values(CLASS_FAULTS.telemetry)).toEqual(['none', 'none', 'none']);
    expect(CLASS_FAULTS['derived-projection']).toEqual({
      'process-kill': 'no-loss',
      'backend-kill': 'intact',
      'os-crash': 'intact',
    });
  });

  it.each([
    ['no-loss', 'no-loss', true],
    ['no-loss', 'loses-recent', false],
    ['no-loss', 'loses-all', false],
    ['intact', 'no-loss', true],
    ['intact', 'loses-recent', true],
    ['intact', 'loses-all', false],
    ['none', 'loses-all', true],
  ] as const)('a demand of %s is met by %s: %s', (demand, outcome, met) => {
    expect(meetsDemand(demand, outcome)).toBe(met);
  });

  it('names the faults a backend falls short on', () => {
    const lossyServer = {
      'process-kill': 'no-loss',
      'backend-kill': 'loses-recent',
      'os-crash': 'loses-recent',
    } as const;
    expect(unmetFaults('shared-durable', lossyServer)).toEqual(['backend-kill', 'os-crash']);
    expect(unmetFaults('restart-safe-local', lossyServer)).toEqual(['backend-kill', 'os-crash']);
    expect(unmetFaults('derived-projection', lossyServer)).toEqual([]);
    expect(
      unmetFaults('ephemeral', { 'process-kill': 'loses-all', 'backend-kill': 'loses-all', 'os-crash': 'loses-all' }),
    ).toEqual([]);
  });
});
