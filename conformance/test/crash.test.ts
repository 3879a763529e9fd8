import { describe, expect, it } from 'vitest';
import { CertificateSchema, checkDocument } from '@stateproof/spec';
import { restartSafeLiarTarget } from '@stateproof/adapter-memory/conformance';
import { certificateWithCrash, runConformance, runCrash } from '@stateproof/conformance';
// @ts-expect-error: a plain JavaScript example module without type declarations
import { target as jsonFileTarget } from '../../examples/json-file-adapter/target.mjs';
import type { ConformanceTarget } from '@stateproof/conformance';

const jsonFile = jsonFileTarget as ConformanceTarget;

describe('the crash harness', () => {
  it('passes a durable adapter shared by three processes while they are killed at random and mid-batch', async () => {
    const kills: string[] = [];
    const report = await runCrash({
      target: jsonFile,
      kinds: ['record'],
      workers: 3,
      kills: 4,
      seed: 5,
      onProgress: (e) => void (e.type === 'kill' && kills.push(e.worker)),
    });
    expect(report.errors).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(kills).toHaveLength(4);
    const [result] = report.results;
    expect(result).toMatchObject({
      scenario: 'process-kill/record',
      kinds: ['record'],
      kills: 4,
      backendKills: 0,
      checks: ['process-crash'],
      status: 'pass',
      violations: [],
      violationCount: 0,
      seed: 5,
    });
    expect(result!.acknowledged).toBeGreaterThan(100);
    expect(result!.acknowledged).toBe(report.history.of('record').filter((o) => o.state === 'acked').length);

    // The results go into the certificate of the conformance run and decide REC-032 there too.
    // Before them, restart-safe-local is partial and REC-032 is held back: close-and-reopen is no crash.
    const conform = await runConformance({ target: jsonFile, kinds: ['record'], runs: 5, seed: 5 });
    expect(conform.certificate.verdict).toBe('partial');
    expect(conform.requirements.find((r) => r.id === 'REC-032')).toMatchObject({ status: 'skip' });
    const cert = await certificateWithCrash(report, jsonFile, conform.certificate);
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    expect(cert.verdict).toBe('certified');
    expect(cert.classes.map((c) => `${c.class}:${c.verdict}:${c.missing.join(',')}`).sort()).toEqual([
      'ephemeral:certified:',
      'restart-safe-local:certified:',
    ]);
    expect(cert.crash).toEqual([
      expect.objectContaining({
        scenario: 'process-kill/record',
        class: 'restart-safe-local',
        kills: 4,
        backendKills: 0,
        acknowledged: result!.acknowledged,
        seed: 5,
      }),
    ]);
    expect(cert.requirements.find((r) => r.id === 'REC-032')).toMatchObject({ status: 'pass' });
    expect(cert.requirements.find((r) => r.id === 'REC-032')?.properties).toContain(
      'crash:process-kill/record [restart-safe-local]',
    );
  }, 60_000);

  it('catches an in-process adapter that claims restart-safe-local, in every kind', async () => {
    const report = await runCrash({ target: restartSafeLiarTarget(), workers: 2, kills: 2, seed: 3 });
    expect(report.verdict).toBe('fail');
    const byKind = Object.fromEntries(report.results.map((r) => [r.kinds[0], r]));
    expect(Object.keys(byKind).sort()).toEqual(['claim', 'dataspace', 'log', 'queue', 'record']);
    for (const r of report.results) {
      expect(r.status, r.scenario).toBe('fail');
      expect(r.violationCount, r.scenario).toBeGreaterThanOrEqual(r.violations.length);
    }
    // Lost writes show as a key that lost its last acknowledged value, or as a version handed out again.
    expect(byKind.record!.violations.join('\n')).toMatch(
      /the last acknowledged write left put|versions reused or going back/,
    );
    expect(byKind.log!.violations.join('\n')).toMatch(/acknowledged entry \d+ .* reads null/);
    const cert = await certificateWithCrash(report, restartSafeLiarTarget());
    expect(checkDocument(CertificateSchema, cert)).toEqual([]);
    expect(cert.verdict).toBe('fail');
    expect(cert.requirements.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(
      expect.arrayContaining(['CLM-019', 'DSP-024', 'LOG-030', 'QUE-036', 'REC-032']),
    );
  }, 60_000);
});
