import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { StateproofError } from '../errors/stateproof-error.js';
import { DOCUMENT_SCHEMAS } from './all-schemas.js';

// ajv-formats is CommonJS; under NodeNext its default export sits one level down.
const addFormats = addFormatsModule.default;

/** One schema violation in a document. */
export interface DocumentProblem {
  /** JSON Pointer to the offending value ('' for the root). */
  readonly path: string;
  /** What is wrong there, in ajv's words or a clearer one. */
  readonly message: string;
}

/** Thrown when a document does not match its schema. */
export class InvalidDocumentError extends StateproofError {
  /** Every problem found, not only the first. */
  readonly problems: readonly DocumentProblem[];

  /** `what` names the document in the message ("inventory", "manifest", …); `problems` are all the violations found. */
  constructor(what: string, problems: readonly DocumentProblem[]) {
    const first = problems[0];
    super(
      'STATEPROOF_INVALID_DOCUMENT',
      `${what} is invalid: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`,
      {
        ...(first ? { path: first.path } : {}),
        details: { problems },
        hint: `Fix the listed paths so that the ${what} matches its schema in spec/schema/.`,
      },
    );
    this.problems = problems;
  }
}

/** A new ajv instance configured for stateproof documents (draft-07, formats, all errors). */
export function createDocumentAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword('x-stateproof-version');
  return ajv;
}

function toProblem(e: ErrorObject): DocumentProblem {
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return {
      path: `${e.instancePath}/${extra.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      message: 'is not an allowed property',
    };
  }
  return { path: e.instancePath, message: e.message ?? e.keyword };
}

/** Problems of one validator run, without the duplicates anyOf produces. */
export function problemsOf(errors: readonly ErrorObject[] | null | undefined): DocumentProblem[] {
  const seen = new Set<string>();
  const out: DocumentProblem[] = [];
  for (const e of errors ?? []) {
    const p = toProblem(e);
    const key = `${p.path}\u0000${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

let ajv: Ajv | undefined;
const compiled = new Map<TSchema, ValidateFunction>();

/** A compiled validator for one of the document schemas (cached). */
export function documentValidator(schema: TSchema): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  ajv ??= createDocumentAjv();
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}

/** Validates `value` against a document schema; returns the problems (empty when valid). */
export function checkDocument(schema: TSchema, value: unknown): DocumentProblem[] {
  const fn = documentValidator(schema);
  return fn(value) ? [] : problemsOf(fn.errors);
}

/** Validates `value` against a document schema; throws {@link InvalidDocumentError} listing every problem. */
export function assertDocument(schema: TSchema, value: unknown, what: string): void {
  const problems = checkDocument(schema, value);
  if (problems.length > 0) throw new InvalidDocumentError(what, problems);
}

/** Every document schema, for callers that validate by file name. */
export { DOCUMENT_SCHEMAS };
