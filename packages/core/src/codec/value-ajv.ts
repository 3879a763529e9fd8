import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export sits one level down.
const addFormats = addFormatsModule.default;

let shared: Ajv | undefined;

/**
 * The ajv instance that compiles value schemas: strict (an unknown keyword is an error, not a
 * silently ignored typo), standard formats, first error only (the fast path on every write).
 */
export function valueAjv(): Ajv {
  if (!shared) {
    shared = new Ajv({ strict: true, allErrors: false, allowUnionTypes: true, addUsedSchema: false });
    addFormats(shared);
  }
  return shared;
}
