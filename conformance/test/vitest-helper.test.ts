import { afterAll, expect, it, vi } from 'vitest';
import { describeConformance } from '@stateproof/conformance/vitest';
import type { ConformanceReport, ConformanceTarget } from '@stateproof/conformance';
// @ts-expect-error: a plain JavaScript example module without type declarations
import { target as jsonFileTarget } from '../../examples/json-file-adapter/target.mjs';

// The vitest entry on a restart-safe-local adapter: nothing fails, but the helper runs no crash, so
// its class-verdict test must say what is owed (a skip with the reason and a console note), never pass.
const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
afterAll(() => warn.mockRestore());
let report: ConformanceReport | undefined;
describeConformance(jsonFileTarget as ConformanceTarget, {
  kinds: ['record'],
  runs: 2,
  seed: 6,
  onReport: (r) => void (report = r),
});

it('names what is still owed instead of a silent pass', () => {
  expect(report?.verdict).toBe('pass');
  expect(report?.certificate.verdict).toBe('partial');
  const notes = warn.mock.calls.map((c) => String(c[0]));
  expect(notes).toHaveLength(1);
  expect(notes[0]).toContain('stateproof: json-file is partial, not certified; still owed:');
  expect(notes[0]).toContain('restart-safe-local record: partial; process-crash missing (no process was killed');
  expect(notes[0]).toContain('stateproof certify');
});
