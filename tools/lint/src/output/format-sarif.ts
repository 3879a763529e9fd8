import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { LintResult } from '../lint.js';
import { RULE_NAMES, RULES, ruleDocsUrl } from '../rules/rule-catalog.js';
import { LINT_VERSION, TOOL_NAME } from '../version.js';

/** The SARIF level of each severity. */
const LEVEL = { error: 'error', warning: 'warning', note: 'note' } as const;

/** Key of the partial fingerprint stateproof writes. */
export const PARTIAL_FINGERPRINT_KEY = 'stateproof/v1';

/**
 * A fingerprint of a finding that survives edits elsewhere in the file: the rule, the file and the
 * surface id (or the message when there is none), never the line number.
 */
function partialFingerprint(rule: string, file: string | undefined, subject: string): string {
  return createHash('sha256')
    .update(`${rule}\u0000${file ?? ''}\u0000${subject}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * `--format sarif`: a SARIF 2.1.0 log with one run, every rule's metadata (stable ids equal to the
 * rule names, descriptions, help links, default levels), results with regions relative to
 * %SRCROOT% (the working directory) and partial fingerprints, as GitHub code scanning ingests it.
 */
export function sarifLog(result: LintResult, cwd: string): Record<string, unknown> {
  const rules = RULE_NAMES.map((name) => ({
    id: name,
    name: name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: RULES[name].summary },
    fullDescription: { text: RULES[name].description },
    helpUri: ruleDocsUrl(name),
    help: { text: `${RULES[name].description} See ${ruleDocsUrl(name)}.` },
    defaultConfiguration: { level: LEVEL[RULES[name].severity] },
    properties: {
      tags: ['state', RULES[name].scope === 'input' ? 'input' : 'contract'],
      precision: 'high',
      'problem.severity': RULES[name].severity === 'note' ? 'recommendation' : RULES[name].severity,
    },
  }));
  const results = result.diagnostics.map((d) => {
    const region: Record<string, number> = {};
    if (d.line !== undefined) region['startLine'] = d.line;
    if (d.column !== undefined) region['startColumn'] = d.column;
    if (d.endLine !== undefined) region['endLine'] = d.endLine;
    if (d.endColumn !== undefined) region['endColumn'] = d.endColumn;
    return {
      ruleId: d.rule,
      ruleIndex: RULE_NAMES.indexOf(d.rule),
      level: LEVEL[d.severity],
      message: { text: d.fix ? `${d.message}. Fix: ${d.fix}` : d.message },
      ...(d.file === undefined
        ? {}
        : {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(d.file), uriBaseId: '%SRCROOT%' },
                  ...(d.line === undefined ? {} : { region }),
                },
              },
            ],
          }),
      partialFingerprints: { [PARTIAL_FINGERPRINT_KEY]: partialFingerprint(d.rule, d.file, d.surfaceId ?? d.message) },
      ...(d.surfaceId === undefined ? {} : { properties: { surfaceId: d.surfaceId } }),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            semanticVersion: LINT_VERSION,
            version: LINT_VERSION,
            informationUri: 'https://stateproof.dev/docs/lint-in-ci',
            rules,
          },
        },
        automationDetails: { id: 'stateproof/lint/' },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results,
        ...(result.fingerprint === undefined ? {} : { properties: { fingerprint: result.fingerprint } }),
      },
    ],
  };
}

/** `--format sarif` as text. */
export function formatSarif(result: LintResult, cwd: string): string {
  return `${JSON.stringify(sarifLog(result, cwd), null, 2)}\n`;
}
