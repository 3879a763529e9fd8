/**
 * Mermaid's defaults on GitHub refuse a diagram above 50,000 characters or 500 edges
 * (`maxTextSize`, `maxEdges`); a diagram is split well before either.
 */
export interface MermaidLimits {
  /** Most edges in one diagram. */
  readonly maxEdges: number;
  /** Most characters in one diagram's text. */
  readonly maxChars: number;
}

/** 80% of Mermaid's defaults, so a diagram never fails to render on GitHub. */
export const MERMAID_LIMITS: MermaidLimits = { maxEdges: 400, maxChars: 40_000 };

/** One piece of a diagram that must stay together: the nodes a surface needs and its edges. */
export interface DiagramUnit {
  /** Node declarations keyed by node id: a node shared by several units is declared once per diagram. */
  readonly nodes: ReadonlyMap<string, string>;
  /** Its edges, in Mermaid syntax (`o1 --> s2`). */
  readonly edges: readonly string[];
}

/**
 * Packs units into as few `flowchart LR` diagrams as the limits allow, in order. A unit is never
 * split; one that alone exceeds the limits still gets a diagram of its own (a surface has at
 * most a handful of edges, so this does not happen in practice).
 */
export function packDiagrams(units: readonly DiagramUnit[], limits: MermaidLimits = MERMAID_LIMITS): string[] {
  const diagrams: string[] = [];
  let nodes = new Map<string, string>();
  let edges: string[] = [];
  const render = (n: ReadonlyMap<string, string>, e: readonly string[]) =>
    ['flowchart LR', ...[...n.values()].map((d) => `  ${d}`), ...e.map((d) => `  ${d}`)].join('\n');
  for (const unit of units) {
    const nextNodes = new Map([...nodes, ...unit.nodes]);
    const nextEdges = [...edges, ...unit.edges];
    const fits = nextEdges.length <= limits.maxEdges && render(nextNodes, nextEdges).length <= limits.maxChars;
    if (fits || edges.length + nodes.size === 0) {
      nodes = nextNodes;
      edges = nextEdges;
      continue;
    }
    diagrams.push(render(nodes, edges));
    nodes = new Map(unit.nodes);
    edges = [...unit.edges];
  }
  if (nodes.size > 0) diagrams.push(render(nodes, edges));
  return diagrams;
}

/** A quoted Mermaid label: quotes and angle brackets as Mermaid's entity codes, so no label breaks the syntax. */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\r?\n/g, ' ')}"`;
}
