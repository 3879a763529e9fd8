// Writes fingerprint.json from the cases below using @stateproof/spec; check_fingerprints.py recomputes every value independently.
import { writeFileSync } from 'node:fs';
import { manifestFingerprint } from '@stateproof/spec';

const base = {
  id: 'orders.by-id',
  kind: 'record',
  class: 'shared-durable',
  scope: 'app',
  schemaVersion: 1,
  schemas: {
    value: {
      type: 'object',
      properties: { id: { type: 'string' }, total: { type: 'number', minimum: 0 } },
      required: ['id', 'total'],
    },
  },
  bounds: { maxValueBytes: 1048576 },
  options: {},
};
const jobs = {
  id: 'jobs.email',
  kind: 'queue',
  class: 'shared-durable',
  scope: 'deployment',
  schemaVersion: 2,
  schemas: { payload: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] } },
  bounds: { maxValueBytes: 65536, attemptHistory: 20 },
  options: {
    leaseMs: 30000,
    retry: { maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 3600000, jitter: 0.2 },
    concurrency: { global: 10 },
  },
};
const cases = [
  { name: 'empty inventory', surfaces: [] },
  { name: 'one record', surfaces: [base] },
  { name: 'two surfaces', surfaces: [base, jobs] },
  { name: 'two surfaces, other order (same fingerprint)', surfaces: [jobs, base], sameAs: 'two surfaces' },
  {
    name: 'prose and provenance excluded (same fingerprint)',
    surfaces: [
      {
        ...base,
        description: 'Orders by id',
        recovery: 'Replay the order log',
        owner: 'team-orders',
        location: { file: 'src/orders.ts', line: 3 },
      },
      jobs,
    ],
    sameAs: 'two surfaces',
  },
  {
    name: 'schema annotations stripped at schema positions (same fingerprint)',
    surfaces: [
      {
        ...base,
        schemas: {
          value: {
            title: 'Order',
            description: 'An order',
            type: 'object',
            properties: {
              id: { type: 'string', description: 'id', examples: ['o-1'] },
              total: { type: 'number', minimum: 0, $comment: 'cents later' },
            },
            required: ['id', 'total'],
          },
        },
      },
      jobs,
    ],
    sameAs: 'two surfaces',
  },
  {
    name: 'a property named description is data, not an annotation',
    surfaces: [{ ...base, schemas: { value: { type: 'object', properties: { description: { type: 'string' } } } } }],
  },
  { name: 'class changed', surfaces: [{ ...base, class: 'restart-safe-local' }, jobs], differsFrom: 'two surfaces' },
  { name: 'kind changed', surfaces: [{ ...base, kind: 'log' }, jobs], differsFrom: 'two surfaces' },
  {
    name: 'schema changed',
    surfaces: [
      {
        ...base,
        schemas: {
          value: {
            type: 'object',
            properties: { id: { type: 'integer' }, total: { type: 'number', minimum: 0 } },
            required: ['id', 'total'],
          },
        },
      },
      jobs,
    ],
    differsFrom: 'two surfaces',
  },
  {
    name: 'non-ASCII ids sort by UTF-16 code units',
    surfaces: [
      { ...base, id: 'zeta' },
      { ...base, id: 'été' },
      { ...base, id: '😀' },
      { ...base, id: '\uffff' },
    ],
  },
];
const out = cases.map((c) => ({ ...c, fingerprint: manifestFingerprint(c.surfaces) }));
const byName = new Map(out.map((c) => [c.name, c.fingerprint]));
for (const c of out) {
  if (c.sameAs && byName.get(c.sameAs) !== c.fingerprint) throw new Error(`${c.name} should equal ${c.sameAs}`);
  if (c.differsFrom && byName.get(c.differsFrom) === c.fingerprint)
    throw new Error(`${c.name} should differ from ${c.differsFrom}`);
}
writeFileSync(
  new URL('./fingerprint.json', import.meta.url),
  JSON.stringify(
    {
      description:
        'Manifest surface lists and their semantic fingerprints (spec/README.md, "Fingerprint"). `sameAs`/`differsFrom` name the case whose fingerprint must be equal or different.',
      cases: out,
    },
    null,
    2,
  ) + '\n',
);
