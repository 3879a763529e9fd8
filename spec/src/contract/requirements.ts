import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLASSES, DURABILITY_CLASSES, type DurabilityClass } from '../taxonomy/durability-class.js';
import { KINDS, SURFACE_KINDS, type SurfaceKind } from '../taxonomy/surface-kind.js';

/** One normative requirement of spec/contract. */
export interface Requirement {
  /** Stable id such as `REC-001` (of a kind) or `PRJ-001` (of a class). */
  readonly id: string;
  /**
   * The kind it belongs to: the kind of its file for a kind's requirement; for a class's
   * requirement (spec/contract/classes.md), the first kind the class allows.
   */
  readonly kind: SurfaceKind;
  /** Every kind it applies to: its own kind, or every kind its class allows. */
  readonly kinds: readonly SurfaceKind[];
  /** The durability class of a class's requirement (PRJ-, TEL-); absent for a kind's. */
  readonly cls?: DurabilityClass;
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
    out.push({ id: m[1] as string, kind, kinds: [kind], title: (m[2] as string).trim(), text, level });
  }
  return out;
}

/**
 * Parses spec/contract/classes.md: a level-2 heading per class whose title is the class's title
 * (`## Derived projection`), its requirements below it, each applying to every kind the class allows.
 */
export function parseClassRequirements(markdown: string): Requirement[] {
  const out: Requirement[] = [];
  const sections = markdown.split(/^## /m).slice(1);
  for (const section of sections) {
    const title = (section.split('\n')[0] ?? '').trim();
    const cls = DURABILITY_CLASSES.find((c) => CLASSES[c].title.toLowerCase() === title.toLowerCase());
    if (!cls) throw new Error(`spec/contract/classes.md: "## ${title}" names no durability class`);
    const prefix = CLASSES[cls].requirementPrefix;
    const kinds = CLASSES[cls].kinds;
    for (const r of parseRequirements(kinds[0] as SurfaceKind, `## ${section}`)) {
      if (prefix === undefined || !r.id.startsWith(prefix + '-'))
        throw new Error(`spec/contract/classes.md: requirement ${r.id} of ${cls} does not start with ${prefix}-`);
      out.push({ ...r, kinds, cls });
    }
  }
  return out;
}

let cache: Requirement[] | undefined;

/** Every requirement of every kind, in file order, then those of the classes (classes.md). */
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
    if (files.has('classes.md'))
      cache.push(...parseClassRequirements(readFileSync(CONTRACT_DIR + 'classes.md', 'utf8')));
  }
  return cache;
}
