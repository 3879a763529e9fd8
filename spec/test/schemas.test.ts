import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AdapterCapabilitiesSchema,
  CertificateSchema,
  checkDocument,
  createDocumentAjv,
  DOCUMENT_SCHEMAS,
  InventorySchema,
  LintReportSchema,
  ManifestSchema,
  ProbeResultSchema,
  schemaJsonText,
  SurfaceDefinitionSchema,
} from '@stateproof/spec';

const dir = new URL('../schema/', import.meta.url);
const fp = 'sha256:' + 'ab'.repeat(32);
const surface = {
  id: 'orders.by-id',
  kind: 'record',
  class: 'shared-durable',
  scope: 'app',
  schemaVersion: 1,
  schemas: { value: { type: 'object' } },
  bounds: { maxValueBytes: 1024 },
  options: {},
};
const capabilities = {
  capabilitiesVersion: 1,
  adapter: { name: 'x', version: '1.0.0' },
  backend: 'file',
  clock: 'system',
  kinds: { record: { classes: ['restart-safe-local'], features: { ttl: false, list: true } } },
};
const probe = {
  probeVersion: 1,
  adapter: { name: 'x', version: '1' },
  backend: { name: 'file' },
  at: '2026-01-01T00:00:00.000Z',
  settings: { fsync: true },
  classes: [{ class: 'ephemeral', certified: true, reasons: ['ok'] }],
};
const certificate = {
  certificateVersion: 2,
  specVersion: '0.1.0',
  tool: { name: 'stateproof', version: '0.1.0' },
  adapter: { name: 'x', version: '1' },
  backend: { name: 'file', settings: {} },
  capabilities,
  run: {
    seed: 1,
    runs: 10,
    kinds: ['record'],
    classes: ['ephemeral'],
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    durationMs: 1000,
    node: 'v20',
    platform: 'linux',
  },
  verdict: 'certified',
  classes: [
    {
      class: 'ephemeral',
      kind: 'record',
      verdict: 'certified',
      checks: [{ check: 'model', status: 'pass', detail: '1 of 1 properties passed' }],
      missing: [],
    },
  ],
  requirements: [{ id: 'REC-001', kind: 'record', status: 'pass', properties: ['record/model'], durationMs: 3 }],
  concurrency: [],
  crash: [],
};
const report = {
  reportVersion: 1,
  tool: { name: 'stateproof', version: '0.1.0' },
  summary: { errors: 1, warnings: 0, notes: 0, files: 1, surfaces: 1 },
  diagnostics: [{ rule: 'dynamic-id', severity: 'error', message: 'm', file: 'a.ts', line: 1 }],
};

describe('generated JSON Schemas', () => {
  it('are up to date with the TypeBox sources (run `npm run -w @stateproof/spec generate` if this fails)', () => {
    for (const [file, schema] of Object.entries(DOCUMENT_SCHEMAS)) {
      expect(readFileSync(new URL(file, dir), 'utf8'), `spec/schema/${file} is stale`).toBe(schemaJsonText(schema));
    }
    expect(readdirSync(dir).sort()).toEqual(Object.keys(DOCUMENT_SCHEMAS).sort());
  });

  it('each carry an $id with their version, and compile', () => {
    for (const file of Object.keys(DOCUMENT_SCHEMAS)) {
      const json = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>;
      expect(json['$id']).toMatch(/^https:\/\/stateproof\.dev\/schema\/[a-z-]+\.v\d+\.schema\.json$/);
      // The certificate is at version 2 (class verdicts certified | partial | fail); the others at 1.
      expect(json['x-stateproof-version']).toBe(
        file === 'certificate.schema.json' || file === 'inventory.schema.json' ? 2 : 1,
      );
      expect(() => createDocumentAjv().compile(json)).not.toThrow();
    }
  });
});

/** A crash entry with every count: a campaign with process and backend kills on Postgres. */
const crashRun = {
  scenario: 'process-and-backend-kill/queue',
  class: 'shared-durable',
  kinds: ['queue'],
  kills: 1000,
  backendKills: 50,
  acknowledged: 1_234_567,
  checks: ['process-crash', 'backend-crash'],
  status: 'pass',
  violations: [],
  violationCount: 0,
  seed: 2026,
  durationMs: 12.5,
};

describe('document validation', () => {
  it.each([
    ['surface definition', SurfaceDefinitionSchema, surface],
    ['manifest', ManifestSchema, { manifestVersion: 1, fingerprint: fp, surfaces: [surface] }],
    ['inventory', InventorySchema, { inventoryVersion: 1, deployment: { replicas: 3 }, surfaces: [surface] }],
    ['adapter capabilities', AdapterCapabilitiesSchema, capabilities],
    ['probe result', ProbeResultSchema, probe],
    ['certificate', CertificateSchema, certificate],
    ['lint report', LintReportSchema, report],
    ['certificate with a counted crash run', CertificateSchema, { ...certificate, crash: [crashRun] }],
    [
      'certificate with a crash run of before the counts (no backend kills, checks, count or seed)',
      CertificateSchema,
      {
        ...certificate,
        crash: [
          {
            scenario: crashRun.scenario,
            kinds: crashRun.kinds,
            kills: 2,
            acknowledged: 3,
            status: 'pass',
            violations: [],
            durationMs: 1,
          },
        ],
      },
    ],
  ] as const)('accepts a valid %s', (_name, schema, doc) => {
    expect(checkDocument(schema, doc)).toEqual([]);
  });

  it.each([
    ['a surface with an unknown class', SurfaceDefinitionSchema, { ...surface, class: 'forever' }, '/class'],
    ['a surface id with a control character', SurfaceDefinitionSchema, { ...surface, id: 'a\u0007b' }, '/id'],
    ['a surface with an unknown field', SurfaceDefinitionSchema, { ...surface, ttl: 3 }, '/ttl'],
    [
      'a surface with a zero size bound',
      SurfaceDefinitionSchema,
      { ...surface, bounds: { maxValueBytes: 0 } },
      '/bounds/maxValueBytes',
    ],
    [
      'a manifest with a bad fingerprint',
      ManifestSchema,
      { manifestVersion: 1, fingerprint: 'md5:x', surfaces: [] },
      '/fingerprint',
    ],
    [
      'a manifest of another version',
      ManifestSchema,
      { manifestVersion: 2, fingerprint: fp, surfaces: [] },
      '/manifestVersion',
    ],
    [
      'an inventory with zero replicas',
      InventorySchema,
      { inventoryVersion: 1, deployment: { replicas: 0 }, surfaces: [] },
      '/deployment/replicas',
    ],
    [
      'capabilities with an unknown feature',
      AdapterCapabilitiesSchema,
      { ...capabilities, kinds: { record: { classes: ['ephemeral'], features: { sql: true } } } },
      '/kinds/record/features/sql',
    ],
    [
      'capabilities claiming no class',
      AdapterCapabilitiesSchema,
      { ...capabilities, kinds: { record: { classes: [], features: {} } } },
      '/kinds/record/classes',
    ],
    [
      'a probe without reasons',
      ProbeResultSchema,
      { ...probe, classes: [{ class: 'ephemeral', certified: true, reasons: [] }] },
      '/classes/0/reasons',
    ],
    ['a probe with a bad date', ProbeResultSchema, { ...probe, at: 'yesterday' }, '/at'],
    [
      'a certificate with a malformed requirement id',
      CertificateSchema,
      { ...certificate, requirements: [{ ...certificate.requirements[0], id: 'REC-1' }] },
      '/requirements/0/id',
    ],
    ['a certificate with an unknown verdict', CertificateSchema, { ...certificate, verdict: 'maybe' }, '/verdict'],
    ['a version 1 certificate', CertificateSchema, { ...certificate, certificateVersion: 1 }, '/certificateVersion'],
    [
      'a class verdict of version 1 ("pass", no checks)',
      CertificateSchema,
      { ...certificate, classes: [{ class: 'ephemeral', kind: 'record', verdict: 'pass' }] },
      '/classes/0',
    ],
    [
      'a class check that is not a check of the taxonomy',
      CertificateSchema,
      {
        ...certificate,
        classes: [{ ...certificate.classes[0], checks: [{ check: 'vibes', status: 'pass', detail: '' }] }],
      },
      '/classes/0/checks/0/check',
    ],
    [
      'a crash run with negative backend kills',
      CertificateSchema,
      { ...certificate, crash: [{ ...crashRun, backendKills: -1 }] },
      '/crash/0/backendKills',
    ],
    [
      'a crash run deciding a check that is not a check of the taxonomy',
      CertificateSchema,
      { ...certificate, crash: [{ ...crashRun, checks: ['vibes'] }] },
      '/crash/0/checks/0',
    ],
    [
      'a crash run with a fractional violation count',
      CertificateSchema,
      { ...certificate, crash: [{ ...crashRun, violationCount: 1.5 }] },
      '/crash/0/violationCount',
    ],
    [
      'a lint report with a rule that is not kebab-case',
      LintReportSchema,
      { ...report, diagnostics: [{ ...report.diagnostics[0], rule: 'DynamicId' }] },
      '/diagnostics/0/rule',
    ],
  ] as const)('rejects %s, naming the path', (_name, schema, doc, path) => {
    const problems = checkDocument(schema, doc);
    expect(problems.map((p) => p.path)).toContain(path);
  });
});
