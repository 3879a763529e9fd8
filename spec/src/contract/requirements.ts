import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KINDS, SURFACE_KINDS, type SurfaceKind } from '../taxonomy/surface-kind.js';

/** One normative requirement of spec/contract. */
export interface Requirement {
  /** Stable id such as `REC-001`. */
  readonly id: string;
  readonly kind: SurfaceKind;
  /** Short title from the heading. */
  readonly title: string;
  /** The normative text (RFC 2119 language). */
  readonly text: string;
  /** The strongest RFC 2119 keyword in the text. */
  readonly level: 'MUST' | 'SHOULD' | 'MAY';
}

/** Folder holding the contract markdown (spec/contract), from src/ or dist/ alike. */
export const CONTRACT_DIR = fileURLToPath(new URL('../../contract/', import.meta.url));

const HEADING = /^### ([A-Z]{3}-\d{3}): (.+)$/;

/** Parses the requirements of one contract markdown file. */
export function parseRequirements(kind: SurfaceKind, markdown: string): Requirement[] {
  const lines = markdown.split('\n');
  const out: Requirement[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEADING.exec(lines[i] ?? '');
    if (!m) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !/^#{1,3} /.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    const text = body.join('\n').trim();
    const level = /\bMUST( NOT)?\b|\bSHALL( NOT)?\b|\bREQUIRED\b/.test(text)
      ? 'MUST'
      : /\bSHOULD( NOT)?\b|\bRECOMMENDED\b/.test(text)
        ? 'SHOULD'
        : 'MAY';
    out.push({ id: m[1] as string, kind, title: (m[2] as string).trim(), text, level });
  }
  return out;
}

let cache: Requirement[] | undefined;

/** Every requirement of every kind, in file order. */
export function listRequirements(): readonly Requirement[] {
  if (!cache) {
    const files = new Set(readdirSync(CONTRACT_DIR));
    cache = SURFACE_KINDS.flatMap((kind) => {
      const file = `${kind}.md`;
      if (!files.has(file)) return [];
      const reqs = parseRequirements(kind, readFileSync(CONTRACT_DIR + file, 'utf8'));
      const prefix = KINDS[kind].requirementPrefix;
      for (const r of reqs) {
        if (!r.id.startsWith(prefix + '-'))
          throw new Error(`spec/contract/${file}: requirement ${r.id} does not start with ${prefix}-`);
      }
      return reqs;
    });
  }
  return cache;
}
