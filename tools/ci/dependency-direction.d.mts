/** One finding: the file (relative to the root) and what is wrong. */
export interface DependencyProblem {
  readonly file: string;
  readonly message: string;
}
/** Which workspace packages a package's src files (and an adapter's src/conformance/ kit) may import. */
export const LAYERS: Record<string, { readonly src: readonly string[]; readonly kit?: readonly string[] }>;
/** The import specifiers of a source text, as the TypeScript scanner finds them. */
export function importsOf(text: string): string[];
/** Every problem of the workspace at `root`. */
export function checkDependencyDirection(root: string): DependencyProblem[];
