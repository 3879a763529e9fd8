import {
  CLASS_FAULTS,
  CLASSES,
  CONFORMANCE_CHECKS,
  DURABILITY_CLASSES,
  FAULT_TITLES,
  FAULTS,
  KINDS,
  SPEC_VERSION,
  SURFACE_KINDS,
  classAllowsKind,
  type DurabilityClass,
  type Requirement,
  type SurfaceKind,
} from '@stateproof/spec';
import { anchorTag, requirementAnchor } from '../markdown/anchor.js';
import { code, raw, table } from '../markdown/markdown-table.js';
import { generatedBanner, type GeneratedFile } from '../generated/generated-file.js';

/** What covers one requirement: the suite's requirement index entry (conformance/requirement-index.json). */
export interface RequirementCoverage {
  /** The requirement id (`REC-001`). */
  readonly id: string;
  /** Names of the properties that check it. */
  readonly properties: readonly string[];
  /** Names of the mutants (deliberately broken adapters) that break it. */
  readonly mutants: readonly string[];
}

/** The input of the contract reference. */
export interface ContractReferenceInput {
  /** Every requirement of spec/contract (`listRequirements()` of @stateproof/spec). */
  readonly requirements: readonly Requirement[];
  /** The requirement index of the suite, one entry per requirement id. */
  readonly coverage: readonly RequirementCoverage[];
  /** The command that regenerates the pages, written into their banner. */
  readonly command: string;
}

/**
 * The page of the reference that holds a requirement: `classes.md` for a class's own requirement
 * (its id has the class's prefix, `PRJ-001`), else the page of its kind (`record.md`).
 */
export function contractPageOf(id: string, kind: SurfaceKind): string {
  const ofClass = DURABILITY_CLASSES.some((c) => {
    const prefix = CLASSES[c].requirementPrefix;
    return prefix !== undefined && id.startsWith(`${prefix}-`);
  });
  return ofClass ? 'classes.md' : `${kind}.md`;
}

/** A relative link to a requirement's anchor, from a page in the same folder as the reference (or below `folder`). */
export function requirementLink(requirement: Pick<Requirement, 'id' | 'kind'>, folder?: string): string {
  const page = contractPageOf(requirement.id, requirement.kind);
  return `[${requirement.id}](${folder === undefined ? '' : `${folder}/`}${page}#${requirementAnchor(requirement.id)})`;
}

/**
 * The contract reference: `index.md` (the classes with their guarantee vectors, the faults each must
 * survive and the checks that certify it; the kinds), one page per kind with every requirement, and
 * `classes.md` with the classes' own requirements. Every requirement has a stable anchor (its id in
 * lower case), its level and text, the classes it applies to, the properties that check it and the
 * mutants that break it. Throws when a requirement has no coverage entry: the index is stale.
 */
export function contractReference(input: ContractReferenceInput): GeneratedFile[] {
  const coverage = new Map(input.coverage.map((c) => [c.id, c]));
  const missing = input.requirements.filter((r) => !coverage.has(r.id)).map((r) => r.id);
  if (missing.length > 0)
    throw new Error(`the requirement index has no entry for ${missing.join(', ')}; regenerate it (npm run generate)`);
  const banner = generatedBanner(input.command);
  const files: GeneratedFile[] = [{ path: 'index.md', text: indexPage(input.requirements, coverage, banner) }];
  for (const kind of SURFACE_KINDS) {
    const own = input.requirements.filter((r) => r.cls === undefined && r.kind === kind);
    files.push({ path: `${kind}.md`, text: kindPage(kind, own, coverage, banner) });
  }
  files.push({
    path: 'classes.md',
    text: classesPage(
      input.requirements.filter((r) => r.cls !== undefined),
      coverage,
      banner,
    ),
  });
  return files;
}

const GUARANTEE_COLUMNS = [
  ['survivesProcessKill', 'process kill'],
  ['survivesBackendKill', 'backend kill'],
  ['sharedAcrossReplicas', 'shared across replicas'],
  ['lossAfterAck', 'loss after ack'],
  ['mayDriveRecovery', 'may drive recovery'],
] as const;

const DEMAND_WORDS = { 'no-loss': 'no loss', intact: 'comes back intact (may lose its last writes)', none: '—' };

function indexPage(
  requirements: readonly Requirement[],
  coverage: ReadonlyMap<string, RequirementCoverage>,
  banner: string,
): string {
  const covered = requirements.filter((r) => (coverage.get(r.id)?.properties.length ?? 0) > 0).length;
  const mutated = requirements.filter((r) => (coverage.get(r.id)?.mutants.length ?? 0) > 0).length;
  const lines = [
    banner,
    '',
    `# The stateproof contract (spec ${SPEC_VERSION})`,
    '',
    'What each durability class promises, what each surface kind does, and every normative requirement with',
    'the conformance properties that check it and the mutants (deliberately broken adapters) that break it.',
    'The source of truth is `spec/contract/*.md` and `spec/src/taxonomy/`; this reference is generated from them',
    'and from the suite (`conformance/requirement-index.json`).',
    '',
    `${requirements.length} requirements; ${covered} checked by at least one property; ${mutated} broken by at least one mutant the suite catches.`,
    '',
    '## Durability classes',
    '',
    table(
      ['class', 'summary', ...GUARANTEE_COLUMNS.map(([, title]) => title), 'kinds'],
      DURABILITY_CLASSES.map((c) => {
        const def = CLASSES[c];
        return [
          raw(`[${def.title}](#${c})`),
          def.summary,
          ...GUARANTEE_COLUMNS.map(([key]) => {
            const value = def.guarantees[key];
            return typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
          }),
          def.kinds.join(', '),
        ];
      }),
    ),
    '',
    '### Faults each class must survive',
    '',
    'A backend certifies a class only when it survives every fault the class demands, as its probe reads its settings.',
    '',
    table(
      ['class', ...FAULTS.map((f) => `${f} (${FAULT_TITLES[f]})`)],
      DURABILITY_CLASSES.map((c) => [c, ...FAULTS.map((f) => DEMAND_WORDS[CLASS_FAULTS[c][f]])]),
    ),
    '',
  ];
  for (const c of DURABILITY_CLASSES) lines.push(...classSection(c, requirements));
  lines.push(
    '## Conformance checks',
    '',
    'The families of checks a class can require; a certificate names each one a class needs and whether it ran in full.',
    '',
    table(
      ['check', 'what it proves', 'required by'],
      (Object.keys(CONFORMANCE_CHECKS) as (keyof typeof CONFORMANCE_CHECKS)[]).map((check) => [
        raw(code(check)),
        CONFORMANCE_CHECKS[check],
        DURABILITY_CLASSES.filter((c) => CLASSES[c].checks.includes(check)).join(', '),
      ]),
    ),
    '',
    '## Surface kinds',
    '',
    table(
      ['kind', 'summary', 'requirements', 'MUST', 'SHOULD', 'MAY'],
      SURFACE_KINDS.map((kind) => {
        const own = requirements.filter((r) => r.cls === undefined && r.kind === kind);
        const count = (level: Requirement['level']) => own.filter((r) => r.level === level).length;
        return [
          raw(`[${kind}](${kind}.md)`),
          KINDS[kind].summary,
          own.length,
          count('MUST'),
          count('SHOULD'),
          count('MAY'),
        ];
      }),
    ),
    '',
  );
  return lines.join('\n');
}

function classSection(c: DurabilityClass, requirements: readonly Requirement[]): string[] {
  const def = CLASSES[c];
  const own = requirements.filter((r) => r.cls === c);
  return [
    `<a id="${c}"></a>`,
    '',
    `### ${def.title}`,
    '',
    def.summary,
    '',
    `- Kinds: ${def.kinds.map((k) => `[${k}](${k}.md)`).join(', ')}.`,
    `- Certified by the checks: ${def.checks.map((check) => code(check)).join(', ')}.`,
    `- Hosted by an adapter certified for: ${def.hostedBy.join(', ')}.`,
    `- ${def.durable ? 'Must survive a restart: a memory-backed binding is a violation.' : 'Need not survive a restart.'}`,
    ...def.rules.map((rule) => `- ${rule}`),
    ...(own.length > 0 ? [`- Its own requirements: ${own.map((r) => requirementLink(r)).join(', ')}.`] : []),
    '',
  ];
}

function kindPage(
  kind: SurfaceKind,
  requirements: readonly Requirement[],
  coverage: ReadonlyMap<string, RequirementCoverage>,
  banner: string,
): string {
  const classes = DURABILITY_CLASSES.filter((c) => classAllowsKind(c, kind));
  return [
    banner,
    '',
    `# ${kind}: ${requirements.length} requirements`,
    '',
    KINDS[kind].summary,
    '',
    `Classes a ${kind} may have: ${classes.map((c) => `[${c}](index.md#${c})`).join(', ')}. Source: \`spec/contract/${kind}.md\`. [Back to the contract](index.md).`,
    '',
    ...requirements.flatMap((r) => requirementSection(r, coverage)),
  ].join('\n');
}

function classesPage(
  requirements: readonly Requirement[],
  coverage: ReadonlyMap<string, RequirementCoverage>,
  banner: string,
): string {
  const lines = [
    banner,
    '',
    '# The classes\u2019 own requirements',
    '',
    'Requirements a class adds to every kind it allows. Source: `spec/contract/classes.md`. [Back to the contract](index.md).',
    '',
  ];
  for (const c of DURABILITY_CLASSES) {
    const own = requirements.filter((r) => r.cls === c);
    if (own.length === 0) continue;
    lines.push(`## ${CLASSES[c].title}`, '', `Applies to: ${CLASSES[c].kinds.join(', ')}.`, '');
    lines.push(...own.flatMap((r) => requirementSection(r, coverage)));
  }
  return lines.join('\n');
}

function requirementSection(r: Requirement, coverage: ReadonlyMap<string, RequirementCoverage>): string[] {
  const cover = coverage.get(r.id);
  const properties = cover?.properties ?? [];
  const mutants = cover?.mutants ?? [];
  const classes =
    r.cls === undefined ? DURABILITY_CLASSES.filter((c) => r.kinds.some((k) => classAllowsKind(c, k))) : [r.cls];
  return [
    anchorTag(requirementAnchor(r.id)),
    '',
    `### ${r.id}: ${r.title}`,
    '',
    `**${r.level}** · applies to ${classes.join(', ')}`,
    '',
    r.text,
    '',
    `- Checked by: ${properties.length > 0 ? properties.map((p) => code(p)).join(', ') : '**no property yet**'}`,
    `- Broken by mutants: ${mutants.length > 0 ? mutants.map((m) => code(m)).join(', ') : 'none yet'}`,
    '',
  ];
}
