import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALL_ERROR_CODES,
  CLASSES,
  CONTRACT_DIR,
  KINDS,
  listRequirements,
  parseClassRequirements,
  parseRequirements,
  SURFACE_KINDS,
} from '@stateproof/spec';

describe('the normative contract', () => {
  it('parses requirement headings and their RFC 2119 level', () => {
    const md =
      '# X\n\n## Group\n\n### REC-001: First\nIt MUST do a.\n\n### REC-002: Second\nIt SHOULD do b.\n\n### REC-003: Third\nIt MAY do c.\n';
    expect(parseRequirements('record', md).map((r) => [r.id, r.title, r.level, r.text])).toEqual([
      ['REC-001', 'First', 'MUST', 'It MUST do a.'],
      ['REC-002', 'Second', 'SHOULD', 'It SHOULD do b.'],
      ['REC-003', 'Third', 'MAY', 'It MAY do c.'],
    ]);
  });

  it('has a file per kind, numbered from 001 without gaps, with unique ids', () => {
    const all = listRequirements();
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const kind of SURFACE_KINDS) {
      const ids = all.filter((r) => r.kind === kind && r.cls === undefined).map((r) => r.id);
      expect(ids.length).toBeGreaterThan(10);
      expect(ids).toEqual(ids.map((_, i) => `${KINDS[kind].requirementPrefix}-${String(i + 1).padStart(3, '0')}`));
    }
  });

  it('has the class requirements of classes.md (PRJ-, TEL-), each applying to every kind of its class', () => {
    const all = listRequirements();
    for (const cls of ['derived-projection', 'telemetry'] as const) {
      const own = all.filter((r) => r.cls === cls);
      const prefix = CLASSES[cls].requirementPrefix as string;
      expect(own.length, cls).toBeGreaterThanOrEqual(5);
      expect(own.map((r) => r.id)).toEqual(own.map((_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`));
      for (const r of own) {
        expect(r.kinds).toEqual(CLASSES[cls].kinds);
        expect(r.kind).toBe(CLASSES[cls].kinds[0]);
      }
    }
    expect(() => parseClassRequirements('# X\n\n## Not a class\n\n### PRJ-001: A\nIt MUST.\n')).toThrow(
      /names no durability class/,
    );
    expect(() => parseClassRequirements('# X\n\n## Telemetry\n\n### PRJ-001: A\nIt MUST.\n')).toThrow(
      /does not start with TEL-/,
    );
  });

  it('states every requirement in RFC 2119 language and names only catalogued error codes', () => {
    const codes = new Set<string>(ALL_ERROR_CODES);
    for (const r of listRequirements()) {
      expect(r.text, r.id).toMatch(/\b(MUST|MUST NOT|SHOULD|MAY|SHALL)\b/);
      for (const code of r.text.match(/STATEPROOF_[A-Z_]+/g) ?? [])
        expect(codes.has(code), `${r.id} names ${code}`).toBe(true);
    }
  });

  it('covers the limits and typed errors in every kind', () => {
    for (const kind of SURFACE_KINDS) {
      const text = readFileSync(`${CONTRACT_DIR}${kind}.md`, 'utf8');
      expect(text).toContain('## Limits and errors');
      for (const code of [
        'STATEPROOF_INVALID_KEY',
        'STATEPROOF_NOT_IJSON',
        'STATEPROOF_FORBIDDEN_PROPERTY',
        'STATEPROOF_VALUE_TOO_LARGE',
        'STATEPROOF_SCHEMA_VIOLATION',
        'STATEPROOF_ENVELOPE_MISMATCH',
        'STATEPROOF_CLOSED',
        'STATEPROOF_BACKEND_UNAVAILABLE',
      ]) {
        expect(text, `${kind}.md mentions ${code}`).toContain(code);
      }
    }
  });
});
