/**
 * A vitest entry to the conformance suite: an adapter author's whole conformance test is
 *
 * ```ts
 * import { describeConformance } from '@stateproof/conformance/vitest';
 * import { target } from './my-target.js';
 * describeConformance(target, { kinds: ['record'], certificate: 'certificate.json' });
 * ```
 *
 * It runs the suite once, then reports one test per requirement id: passed, failed with the shrunk
 * counterexample and the replay command, or skipped with the reason; and a final test per class
 * verdict that names what is still owed (a crash the helper does not run) instead of a silent pass.
 * @packageDocumentation
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { listRequirements, SURFACE_KINDS } from '@stateproof/spec';
import type { ConformanceTarget } from '../environment/conformance-target.js';
import { runConformance, type ConformanceOptions, type ConformanceReport } from '../suite/run-conformance.js';
import { owedChecks } from '../suite/class-verdicts.js';
import { SelectionError } from '../suite/selection-error.js';

/** Options of {@link describeConformance}. */
export interface DescribeConformanceOptions extends Omit<ConformanceOptions, 'target'> {
  /** Write the certificate to this path after the run. */
  readonly certificate?: string;
  /** Longest the whole run may take (default 10 minutes). */
  readonly timeoutMs?: number;
  /**
   * Fail the class-verdict test when a class is only partial (default false: it is skipped with the
   * owed checks named, and a console note says the same, since a crash needs \`stateproof certify\`).
   */
  readonly requireCertified?: boolean;
  /** Called with the report once the run is over (to assert more, or to keep it). */
  readonly onReport?: (report: ConformanceReport) => void | Promise<void>;
}

/** Formats a failed requirement as a test failure message. */
function failureMessage(v: ConformanceReport['requirements'][number]): string {
  return [
    `${v.id} failed: ${v.reason ?? ''}`,
    v.counterexample ? `counterexample: ${v.counterexample}` : '',
    v.replay?.command ? `replay: ${v.replay.command}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Declares a vitest suite that certifies `target`: one test per requirement of the selected kinds,
 * one per concurrency check, and a final verdict test.
 */
export function describeConformance(target: ConformanceTarget, options: DescribeConformanceOptions = {}): void {
  const kinds = options.kinds ?? SURFACE_KINDS;
  describe(`stateproof conformance: ${target.name}`, () => {
    let report: ConformanceReport | undefined;
    let error: unknown;
    beforeAll(async () => {
      try {
        report = await runConformance({ ...options, target });
        if (options.certificate)
          await writeFile(options.certificate, JSON.stringify(report.certificate, null, 2) + '\n');
        await options.onReport?.(report);
      } catch (e) {
        error = e;
      }
    }, options.timeoutMs ?? 600_000);
    afterAll(() => {
      report = undefined;
    });
    // A refused selection fails one test with the reason and the valid names; the rest did not run.
    it('the selection names something to check', () => {
      if (error instanceof SelectionError)
        throw new Error(`${error.code}: ${error.message} (${error.option}). ${error.hint ?? ''}`.trim());
    });
    const done = (ctx: { skip: (note: string) => void }): ConformanceReport => {
      if (error instanceof SelectionError) ctx.skip('not run: the selection was refused (see the selection test)');
      if (error) throw error;
      if (!report) throw new Error('the conformance run did not finish');
      return report;
    };
    for (const r of listRequirements().filter((x) => x.kinds.some((k) => kinds.includes(k)))) {
      it(`${r.id} ${r.title}`, (ctx) => {
        const v = done(ctx).requirements.find((x) => x.id === r.id);
        if (!v) throw new Error(`${r.id} has no verdict`);
        if (v.status === 'skip') ctx.skip(v.reason);
        if (v.status === 'fail') throw new Error(failureMessage(v));
      });
    }
    it('concurrency checks are linearizable', (ctx) => {
      const failed = done(ctx).certificate.concurrency.filter((c) => c.status === 'fail');
      if (failed.length > 0)
        throw new Error(failed.map((c) => `${c.name}: ${c.reason ?? 'not linearizable'}`).join('\n'));
    });
    it('class verdicts: certified only when every check the class needs ran', (ctx) => {
      const cert = done(ctx).certificate;
      const owed = owedChecks(cert.classes);
      if (cert.classes.some((c) => c.verdict === 'fail')) throw new Error(`class verdicts fail:\n${owed.join('\n')}`);
      if (owed.length === 0) return;
      const note = `stateproof: ${target.name} is ${cert.verdict}, not certified; still owed:\n  ${owed.join('\n  ')}\nRun \`stateproof certify\` for the crash checks.`;
      if (options.requireCertified) throw new Error(note);
      console.warn(note);
      ctx.skip(`partial: ${owed.join('; ')}`);
    });
    it('verdict', (ctx) => {
      const r = done(ctx);
      if (r.verdict !== 'pass')
        throw new Error(
          `verdict fail: ${r.requirements
            .filter((x) => x.status === 'fail')
            .map((x) => x.id)
            .join(', ')}`,
        );
    });
  });
}
