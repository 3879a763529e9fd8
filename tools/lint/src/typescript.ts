import { createRequire } from 'node:module';
import type * as TS from 'typescript';

/**
 * The TypeScript compiler API. Loaded with require: importing the 9 MB CommonJS bundle through the
 * ESM loader makes Node scan it for named exports first, which costs about three times as long.
 * Files import the types with `import type * as ts from 'typescript'` and the values from here.
 */
export const typescript: typeof TS = createRequire(import.meta.url)('typescript') as typeof TS;
