import {
  CLASSES,
  DURABILITY_CLASSES,
  type CurrentState,
  type DurabilityClass,
  type SurfaceBounds,
  type SurfaceDefinitionDocument,
} from '@stateproof/spec';
import { anchorTag, uniqueAnchors } from '../markdown/anchor.js';
import { code, linkText, raw, table } from '../markdown/markdown-table.js';
import { generatedBanner, type GeneratedFile } from '../generated/generated-file.js';
import {
  MERMAID_LIMITS,
  mermaidLabel,
  packDiagrams,
  type DiagramUnit,
  type MermaidLimits,
} from './mermaid-diagrams.js';

/** A surface whose current class is weaker than its declared one (the linter's durability-gap rule). */
export interface InventoryGap {
  /** The surface's id. */
  readonly surfaceId: string;
  /** The class it declares. */
  readonly declared: DurabilityClass;
  /** The class it has today, weaker than the declared one. */
  readonly current: DurabilityClass;
  /** The backend the inventory names, display-safe (no credentials). */
  readonly backend?: string;
  /** What is lost, in words. */
  readonly lost: string;
}

/** The input of an inventory page. */
export interface InventoryPageInput {
  /** The page title, e.g. the app's name. */
  readonly title: string;
  /** Where the inventory was read from, as shown to the reader (`docs/examples/inventory.yaml`). */
  readonly from: string;
  /** The surfaces, in any order; the page sorts them by id. */
  readonly surfaces: readonly SurfaceDefinitionDocument[];
  /** What each surface runs on today, by id (an inventory's `current`), with backends display-safe. */
  readonly current?: Readonly<Record<string, CurrentState>>;
  /** The durability gaps, as the linter's durability-gap rule finds them. */
  readonly gaps: readonly InventoryGap[];
  /** The command that regenerates the page, written into its banner. */
  readonly command: string;
  /** A relative link to the contract reference's index, for the class names; omitted when absent. */
  readonly contractLink?: string;
  /** Limits of one diagram (default 80% of Mermaid's defaults on GitHub). */
  readonly mermaid?: MermaidLimits;
  /** The file name of the page (default `inventory.md`). */
  readonly fileName?: string;
}

/** The base anchor of a surface's row on the inventory page (a repeat on one page gets `-2`, `-3`, …). */
export function surfaceAnchor(id: string): string {
  return `surface-${id.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;
}

/**
 * The inventory of a project as one page: the durability gaps first, then a section per class with
 * a table of its surfaces (kind, owner, bounds, recovery note, source, where it is defined, what it
 * runs on today) and Mermaid diagrams of owners -> surfaces -> backends and projections -> sources,
 * split so each stays within Mermaid's limits on GitHub. Sorted, so the same inventory gives the
 * same bytes.
 */
export function inventoryPage(input: InventoryPageInput): GeneratedFile {
  const surfaces = [...input.surfaces].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const classOf = new Map(surfaces.map((s) => [s.id, s.class]));
  const gaps = [...input.gaps].sort((a, b) => (a.surfaceId < b.surfaceId ? -1 : 1));
  const gapOf = new Set(gaps.map((g) => g.surfaceId));
  const anchorOf = uniqueAnchors(
    surfaces.map((x) => x.id),
    surfaceAnchor,
  );
  const classLink = (c: DurabilityClass) =>
    input.contractLink === undefined ? c : `[${c}](${input.contractLink}#${c})`;
  const present = DURABILITY_CLASSES.filter((c) => surfaces.some((s) => s.class === c));
  const lines = [
    generatedBanner(input.command),
    '',
    `# State inventory: ${input.title}`,
    '',
    `Read from \`${input.from}\`: ${surfaces.length} surfaces; ${present
      .map((c) => `${surfaces.filter((s) => s.class === c).length} ${c}`)
      .join(', ')}.`,
    '',
    '## Durability gaps',
    '',
  ];
  if (gaps.length === 0)
    lines.push('None: every surface that says what it runs on today can hold its declared class.', '');
  else
    lines.push(
      'Surfaces whose current class is weaker than the one they declare, and what that loses (rule `durability-gap`).',
      '',
      table(
        ['surface', 'declared', 'current', 'backend', 'lost'],
        gaps.map((g) => [
          anchorOf.has(g.surfaceId) ? raw(`[${linkText(g.surfaceId)}](#${anchorOf.get(g.surfaceId)})`) : g.surfaceId,
          g.declared,
          g.current,
          g.backend,
          g.lost,
        ]),
      ),
      '',
    );
  for (const c of present) {
    const own = surfaces.filter((s) => s.class === c);
    lines.push(
      `## ${CLASSES[c].title}`,
      '',
      `${own.length} ${own.length === 1 ? 'surface' : 'surfaces'} of class ${classLink(c)}: ${CLASSES[c].summary}`,
      '',
      table(
        ['surface', 'kind', 'owner', 'bounds', 'recovery', 'source', 'defined at', 'runs on today'],
        own.map((s) => {
          const current = input.current?.[s.id];
          const today = [current?.backend, current?.durability, current?.restart].filter((x) => x !== undefined);
          return [
            raw(`${anchorTag(anchorOf.get(s.id)!)}${code(s.id)}`),
            s.kind,
            s.owner,
            boundsText(s.bounds),
            s.recovery,
            sourceText(s.source, classOf),
            s.location === undefined ? undefined : `${s.location.file}:${s.location.line}`,
            today.length === 0 ? undefined : `${today.join('; ')}${gapOf.has(s.id) ? ' (gap)' : ''}`,
          ];
        }),
      ),
      '',
    );
    const diagrams = packDiagrams(diagramUnits(own, classOf, input.current), input.mermaid ?? MERMAID_LIMITS);
    diagrams.forEach((d, i) => {
      if (diagrams.length > 1) lines.push(`Diagram ${i + 1} of ${diagrams.length}:`, '');
      lines.push('```mermaid', d, '```', '');
    });
  }
  return { path: input.fileName ?? 'inventory.md', text: lines.join('\n') };
}

function sourceText(source: string | undefined, classOf: ReadonlyMap<string, DurabilityClass>): string | undefined {
  if (source === undefined) return undefined;
  const cls = classOf.get(source);
  return cls === undefined ? source : `${source} (${cls})`;
}

function diagramUnits(
  surfaces: readonly SurfaceDefinitionDocument[],
  classOf: ReadonlyMap<string, DurabilityClass>,
  current: Readonly<Record<string, CurrentState>> | undefined,
): DiagramUnit[] {
  // Node ids are generated, never taken from user text: a surface id may hold characters Mermaid reads as syntax.
  const ids = new Map<string, string>();
  const nodeId = (key: string, prefix: string) => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = `${prefix}${ids.size + 1}`));
    return id;
  };
  return surfaces.map((s) => {
    const nodes = new Map<string, string>();
    const edges: string[] = [];
    const self = nodeId(`surface:${s.id}`, 's');
    nodes.set(self, `${self}[${mermaidLabel(`${s.id} (${s.kind})`)}]`);
    if (s.owner !== undefined) {
      const owner = nodeId(`owner:${s.owner}`, 'o');
      nodes.set(owner, `${owner}([${mermaidLabel(`owner: ${s.owner}`)}])`);
      edges.push(`${owner} --> ${self}`);
    }
    const backend = current?.[s.id]?.backend;
    if (backend !== undefined) {
      const b = nodeId(`backend:${backend}`, 'b');
      nodes.set(b, `${b}[(${mermaidLabel(backend)})]`);
      edges.push(`${self} --> ${b}`);
    }
    if (s.source !== undefined) {
      const src = nodeId(`surface:${s.source}`, 's');
      const local = surfaces.find((o) => o.id === s.source);
      const cls = classOf.get(s.source);
      const label = local ? `${local.id} (${local.kind})` : cls === undefined ? s.source : `${s.source} (${cls})`;
      // Declared in the unit itself: the source may sit in another class's section or another part of a split diagram.
      nodes.set(src, `${src}[${mermaidLabel(label)}]`);
      edges.push(`${self} -. source .-> ${src}`);
    }
    return { nodes, edges };
  });
}

function boundsText(bounds: SurfaceBounds): string {
  const parts = [`value ≤ ${bytes(bounds.maxValueBytes)}`];
  if (bounds.ttlMs !== undefined) parts.push(`ttl ${duration(bounds.ttlMs)}`);
  if (bounds.maxEntries !== undefined) parts.push(`≤ ${bounds.maxEntries} entries`);
  if (bounds.maxAgeMs !== undefined) parts.push(`≤ ${duration(bounds.maxAgeMs)} old`);
  if (bounds.attemptHistory !== undefined) parts.push(`${bounds.attemptHistory} attempts kept`);
  return parts.join(', ');
}

function bytes(n: number): string {
  if (n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}

function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}
