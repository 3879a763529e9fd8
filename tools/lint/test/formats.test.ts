import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { checkDocument, LintReportSchema } from '@stateproof/spec';
import { describe, expect, it } from 'vitest';
import {
  formatGithub,
  formatResult,
  formatText,
  lint,
  LINT_VERSION,
  lintReport,
  PARTIAL_FINGERPRINT_KEY,
  RULE_NAMES,
  sarifLog,
  type LintResult,
} from '../src/index.js';
import { fixture } from './helpers.js';

const addFormats = addFormatsModule.default;
const sarifSchema = JSON.parse(readFileSync(fixture('sarif/sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

const violations = lint({ cwd: fixture('violations'), deployment: { replicas: 3 } });
const unusable = lint({ cwd: fixture('inventory'), inventory: 'invalid.yaml' });
const clean = lint({ cwd: fixture('basic') });

describe('--format json', () => {
  it.each([
    ['violations', violations],
    ['unusable input', unusable],
    ['clean', clean],
  ] as Array<[string, LintResult]>)('is valid against the lint report schema (%s)', (_label, result) => {
    const report = JSON.parse(formatResult(result, 'json', '/repo'));
    expect(checkDocument(LintReportSchema, report)).toEqual([]);
    expect(report.diagnostics).toEqual(result.diagnostics);
  });

  it('summarises by severity', () => {
    expect(lintReport(violations).summary).toEqual({ errors: 24, warnings: 1, notes: 0, files: 6, surfaces: 14 });
    expect(lintReport(violations).tool).toEqual({ name: 'stateproof', version: LINT_VERSION });
    expect(lintReport(unusable).fingerprint).toBeUndefined();
  });
});

describe('--format sarif', () => {
  it.each([
    ['violations', violations],
    ['unusable input', unusable],
    ['clean', clean],
  ] as Array<[string, LintResult]>)('is valid against the SARIF 2.1.0 schema (%s)', (_label, result) => {
    const log = JSON.parse(formatResult(result, 'sarif', '/repo'));
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  });

  it('fails the SARIF schema when a result breaks it (the check can fail)', () => {
    const log = sarifLog(violations, '/repo') as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0]!.results[0]!['level'] = 'fatal';
    expect(validateSarif(log)).toBe(false);
  });

  it('describes every rule with a stable id, and points results at them with regions and partial fingerprints', () => {
    const log = sarifLog(violations, '/repo') as any;
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULE_NAMES);
    expect(run.tool.driver.rules[0]).toMatchObject({
      id: 'dynamic-id',
      name: 'DynamicId',
      defaultConfiguration: { level: 'error' },
      helpUri: 'https://stateproof.dev/docs/rules/dynamic-id.md',
    });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    const dup = run.results.find((r: { ruleId: string }) => r.ruleId === 'duplicate-id');
    expect(dup).toEqual({
      ruleId: 'duplicate-id',
      ruleIndex: RULE_NAMES.indexOf('duplicate-id'),
      level: 'error',
      message: { text: 'surface id "orders.main" is already defined at line 5. Fix: Give each surface its own id.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/duplicates.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 6, startColumn: 29, endLine: 6, endColumn: 42 },
          },
        },
      ],
      partialFingerprints: { [PARTIAL_FINGERPRINT_KEY]: expect.stringMatching(/^[0-9a-f]{32}$/) },
      properties: { surfaceId: 'orders.main' },
    });
  });

  it('keeps partial fingerprints when a finding moves to another line', () => {
    const moved: LintResult = {
      ...violations,
      diagnostics: violations.diagnostics.map((d) => ({ ...d, line: (d.line ?? 1) + 10 })),
    };
    const fp = (r: LintResult) =>
      (sarifLog(r, '/repo') as any).runs[0].results.map((x: any) => x.partialFingerprints[PARTIAL_FINGERPRINT_KEY]);
    expect(fp(moved)).toEqual(fp(violations));
    expect(new Set(fp(violations)).size).toBe(violations.diagnostics.length);
  });
});

describe('--format github', () => {
  it('writes one workflow command per diagnostic, escaped', () => {
    const out = formatGithub(unusable);
    expect(out).toBe(
      [
        '::error file=invalid.yaml,line=5,col=5,title=stateproof invalid-document::inventory /surfaces/0/class must be one of the allowed values, got "forever"',
        '::error file=invalid.yaml,line=9,col=15,title=stateproof invalid-document::inventory /surfaces/0/bounds/maxValueBytes must be >= 1',
        '::error file=invalid.yaml,line=11,col=5,title=stateproof invalid-document::inventory /surfaces/0/colour is not an allowed property',
        '',
      ].join('\n'),
    );
    const warning = formatGithub({
      ...clean,
      diagnostics: [
        {
          rule: 'unknown-schema',
          severity: 'warning',
          message: '50% done,\nreally',
          file: 'a,b:c.ts',
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 9,
          fix: 'do it',
        },
      ],
    });
    expect(warning).toBe(
      '::warning file=a%2Cb%3Ac.ts,line=2,endLine=2,col=3,endColumn=9,title=stateproof unknown-schema::50%25 done,%0Areally%0Afix: do it\n',
    );
  });
});

describe('--format text', () => {
  it('groups by file and ends with a summary', () => {
    expect(formatText(unusable)).toBe(
      [
        'invalid.yaml',
        '  5:5      error   inventory /surfaces/0/class must be one of the allowed values, got "forever"  invalid-document',
        '  9:15     error   inventory /surfaces/0/bounds/maxValueBytes must be >= 1  invalid-document',
        '  11:5     error   inventory /surfaces/0/colour is not an allowed property  invalid-document',
        '',
        '3 problems (3 errors, 0 warnings, 0 notes). 0 surfaces in 1 file.',
        '',
      ].join('\n'),
    );
    expect(formatText(clean)).toBe(`No problems. 8 surfaces in 6 files, fingerprint ${clean.fingerprint}.\n`);
  });
});
