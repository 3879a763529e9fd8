import { describe, expect, it } from 'vitest';
import { CertificateSchema, checkDocument, type CertificateDocument } from '@stateproof/spec';
import { memoryTarget } from '@stateproof/adapter-memory/conformance';
import {
  certificateVerdict,
  certificateWithCrash,
  CrashHistory,
  propertyCheck,
  runConformance,
  SelectionError,
  settleClassVerdict,
  settleCrashRequirements,
  type ConformanceTarget,
  type CrashReport,
} from '@stateproof/conformance';
// @ts-expect-error: a plain JavaScript example module without type declarations
import { target as jsonFileTarget } from '../../examples/json-file-adapter/target.mjs';

const jsonFile = jsonFileTarget as ConformanceTarget;

function crashReport(cls: CrashReport['cls'], scenario: string, status: 'pass' | 'fail' = 'pass'): CrashReport {
  return {
    verdict: status,
    cls,
    seed: 9,
    results: [
      {
        scenario,
        kinds: ['record'],
        kills: 2,
        acknowledged: 40,
        status,
        violations: status === 'fail' ? ['record k: the last acknowledged write left put v2'] : [],
        durationMs: 5,
      },
    ],
    errors: [],
    history: new CrashHistory(),
  };
}

describe('class verdicts', () => {
  const pass = (check: 'model' | 'reopen' | 'process-crash' | 'backend-crash' | 'concurrent-linearizability') => ({
    check,
    status: 'pass' as const,
    detail: 'ok',
  });

  it('certify a class only when every check the taxonomy requires passed; name what is missing', () => {
    expect(settleClassVerdict('ephemeral', 'record', [pass('model')])).toMatchObject({
      verdict: 'certified',
      missing: [],
    });
    const local = settleClassVerdict('restart-safe-local', 'record', [pass('model'), pass('reopen')]);
    expect(local).toMatchObject({ verdict: 'partial', missing: ['process-crash'] });
    expect(local.checks.map((c) => c.check)).toEqual(['model', 'reopen', 'process-crash']);
    expect(local.checks[2]?.detail).toContain('stateproof certify');
    const shared = settleClassVerdict('shared-durable', 'log', [pass('model'), pass('reopen'), pass('process-crash')]);
    expect(shared.missing).toEqual(['concurrent-linearizability', 'backend-crash']);
    expect(
      settleClassVerdict('restart-safe-local', 'record', [pass('model'), pass('reopen'), pass('process-crash')])
        .verdict,
    ).toBe('certified');
    // A failure outside the required checks (a concurrency property of an ephemeral class) still fails it.
    expect(settleClassVerdict('ephemeral', 'record', [pass('model')], true).verdict).toBe('fail');
    // Classes whose checks the suite has no property for cannot be certified.
    expect(settleClassVerdict('telemetry', 'log', [pass('model')]).missing).toEqual([
      'bounded-size',
      'non-blocking-append',
      'drops-counted',
    ]);
  });

  it('count what ran of a check family: all passed, some not run, one failed, none applies', () => {
    const e = { applicable: ['a', 'b'], passed: ['a', 'b'], failed: [], notRun: [], skipReasons: [] };
    expect(propertyCheck('model', 'record', e)).toEqual({
      check: 'model',
      status: 'pass',
      detail: '2 of 2 properties passed',
    });
    expect(propertyCheck('model', 'record', { ...e, passed: ['a'], notRun: ['b'] })).toMatchObject({
      status: 'missing',
      detail: '1 of 2 properties ran; not run: b',
    });
    expect(propertyCheck('model', 'record', { ...e, passed: ['a'], failed: ['b'] }).status).toBe('fail');
    expect(propertyCheck('reopen', 'channel', undefined).status).toBe('missing');
  });

  it('the certificate verdict: fail beats partial beats certified, and an empty run certifies nothing', () => {
    const certified = settleClassVerdict('ephemeral', 'record', [pass('model')]);
    const partial = settleClassVerdict('restart-safe-local', 'record', [pass('model')]);
    expect(certificateVerdict([certified], false)).toBe('certified');
    expect(certificateVerdict([certified, partial], false)).toBe('partial');
    expect(certificateVerdict([certified], true)).toBe('fail');
    expect(certificateVerdict([], false)).toBe('partial');
  });

  it('hold a crash requirement back while a class of the kind owes a crash, and release it once none does', () => {
    const owed = [settleClassVerdict('restart-safe-local', 'record', [pass('model'), pass('reopen')])];
    const done = [
      settleClassVerdict('restart-safe-local', 'record', [pass('model'), pass('reopen'), pass('process-crash')]),
    ];
    const passed: {
      id: string;
      kind: 'record';
      status: 'pass' | 'fail' | 'skip';
      properties: string[];
      reason?: string;
    } = {
      id: 'REC-032',
      kind: 'record',
      status: 'pass',
      properties: ['record/reopen [restart-safe-local]'],
    };
    const [held] = settleCrashRequirements([passed], owed);
    expect(held).toMatchObject({ status: 'skip' });
    expect(held?.reason).toContain(
      'passed record/reopen [restart-safe-local], but a crash is still owed (process-crash for restart-safe-local)',
    );
    expect(settleCrashRequirements([held!], done)[0]).toEqual({ ...passed });
    const failed = { ...passed, status: 'fail' as const, reason: 'lost' };
    expect(settleCrashRequirements([failed], owed)[0]).toBe(failed);
    // Not a crash requirement: untouched.
    const other = { ...passed, id: 'REC-001' };
    expect(settleCrashRequirements([other], owed)[0]).toBe(other);
  });

  it("hold a derived projection's crash requirements back until its own crash ran, on any kind, not a kind's", () => {
    const model = { check: 'model' as const, status: 'pass' as const, detail: 'ok' };
    const projectionOwes = [
      settleClassVerdict('derived-projection', 'log', [model]),
      settleClassVerdict('restart-safe-local', 'record', [model, pass('reopen'), pass('process-crash')]),
    ];
    const prj: { id: string; kind: 'record'; status: 'pass' | 'skip'; properties: string[]; reason?: string } = {
      id: 'PRJ-003',
      kind: 'record',
      status: 'pass',
      properties: ['projection/commit [derived-projection]'],
    };
    const [held] = settleCrashRequirements([prj], projectionOwes);
    expect(held).toMatchObject({ status: 'skip' });
    expect(held?.reason).toContain('process-crash for derived-projection logs');
    // A kind's crash requirement does not wait for the projection's crash.
    const rec = { ...prj, id: 'REC-032', properties: ['record/reopen [restart-safe-local]'] };
    expect(settleCrashRequirements([rec], projectionOwes)[0]).toBe(rec);
    const ran = [settleClassVerdict('derived-projection', 'log', [model, pass('process-crash')]), projectionOwes[1]!];
    expect(settleCrashRequirements([held!], ran)[0]).toMatchObject({ id: 'PRJ-003', status: 'pass' });
  });
});

describe('verdicts of a run', () => {
  it('a partial selection claims nothing for what did not run: per kind it says what ran', async () => {
    const report = await runConformance({ target: memoryTarget(), property: 'record/concurrency', runs: 2, seed: 3 });
    expect(report.verdict).toBe('pass');
    expect(report.certificate.verdict).toBe('partial');
    const record = report.certificate.classes.find((c) => c.kind === 'record');
    expect(record).toMatchObject({ verdict: 'partial', missing: ['model'] });
    expect(record?.checks[0]?.detail).toMatch(/^0 of \d+ properties ran; not run: record\/model/);
    // Memory also claims telemetry for logs: none of its own checks ran either, and each is owed.
    for (const c of report.certificate.classes.filter((k) => k.kind !== 'record'))
      expect(c, `${c.kind} ${c.class}`).toMatchObject({
        verdict: 'partial',
        missing:
          c.class === 'telemetry' ? ['model', 'bounded-size', 'non-blocking-append', 'drops-counted'] : ['model'],
      });
    expect(report.certificate.classes.filter((c) => c.class === 'telemetry').map((c) => c.kind)).toEqual(['log']);
  });

  it('refuse selections that name nothing or run nothing, with a typed error, the valid names and a did-you-mean', async () => {
    const target = memoryTarget();
    const refusal = async (options: Parameters<typeof runConformance>[0]) => {
      const error = await runConformance(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SelectionError);
      return error as SelectionError;
    };
    const typo = await refusal({ target, property: 'claim/modle' });
    expect(typo).toMatchObject({ code: 'STATEPROOF_NOTHING_SELECTED', path: 'property', suggestion: 'claim/model' });
    expect(typo.valid).toContain('claim/model');
    expect(typo.hint).toMatch(/^Did you mean claim\/model\?/);
    const kind = await refusal({ target, kinds: ['recrod' as 'record'] });
    expect(kind).toMatchObject({ path: 'kinds', suggestion: 'record' });
    const unclaimed = await refusal({ target, classes: ['restart-safe-local'] });
    expect(unclaimed.message).toBe(
      'the adapter does not claim restart-safe-local for record, log, claim, queue, dataspace, channel',
    );
    expect(unclaimed.valid).toEqual(['ephemeral', 'telemetry']);
    const wrongKind = await refusal({ target, kinds: ['log'], property: 'record/model' });
    expect(wrongKind.message).toContain('is of no selected kind');
    const none = await refusal({ target, property: 'record/ttl-unclaimed' });
    expect(none.message).toMatch(
      /^the selection runs no property \(record\/ttl-unclaimed \[ephemeral\]: checks that an unclaimed ttl is refused/,
    );
  });

  it('the crash merge certifies a class once its crash ran, fails it on a violation, and keeps shared-durable partial without a backend kill', async () => {
    const conform = await runConformance({ target: jsonFile, kinds: ['record'], runs: 2, seed: 4 });
    const base = conform.certificate;
    expect(base.verdict).toBe('partial');

    const killed = await certificateWithCrash(crashReport('restart-safe-local', 'process-kill/record'), jsonFile, base);
    expect(checkDocument(CertificateSchema, killed)).toEqual([]);
    expect(killed.verdict).toBe('certified');
    expect(killed.classes.find((c) => c.class === 'restart-safe-local')?.checks.at(-1)).toEqual({
      check: 'process-crash',
      status: 'pass',
      detail: 'process-kill/record: 2 kills, 40 acknowledged operations, nothing lost (seed 9)',
    });
    expect(killed.requirements.find((r) => r.id === 'REC-032')?.status).toBe('pass');

    const lost = await certificateWithCrash(
      crashReport('restart-safe-local', 'process-kill/record', 'fail'),
      jsonFile,
      base,
    );
    expect(lost.verdict).toBe('fail');
    expect(lost.classes.find((c) => c.class === 'restart-safe-local')?.verdict).toBe('fail');
    expect(lost.requirements.find((r) => r.id === 'REC-032')).toMatchObject({ status: 'fail' });

    // A shared-durable class (as a server adapter's run would hold it): a process kill alone owes the backend kill.
    const shared: CertificateDocument = {
      ...structuredClone(base),
      classes: [
        settleClassVerdict('shared-durable', 'record', [
          pass('model'),
          pass('reopen'),
          pass('concurrent-linearizability'),
        ]),
      ],
    };
    shared.requirements = settleCrashRequirements(shared.requirements, shared.classes);
    const processOnly = await certificateWithCrash(
      crashReport('shared-durable', 'process-kill/record'),
      jsonFile,
      shared,
    );
    expect(processOnly.verdict).toBe('partial');
    expect(processOnly.classes[0]).toMatchObject({ verdict: 'partial', missing: ['backend-crash'] });
    expect(processOnly.requirements.find((r) => r.id === 'REC-032')?.reason).toContain(
      'backend-crash for shared-durable',
    );
    const both = await certificateWithCrash(
      crashReport('shared-durable', 'process-and-backend-kill/record'),
      jsonFile,
      processOnly,
    );
    expect(both.classes[0]).toMatchObject({ verdict: 'certified', missing: [] });
    expect(both.requirements.find((r) => r.id === 'REC-032')?.status).toBe('pass');
  });
});

function pass(check: 'model' | 'reopen' | 'concurrent-linearizability') {
  return { check, status: 'pass' as const, detail: 'ok' };
}
