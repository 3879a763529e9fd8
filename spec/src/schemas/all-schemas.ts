import type { TSchema } from '@sinclair/typebox';
import { AdapterCapabilitiesSchema } from './adapter-capabilities.js';
import { CertificateSchema } from './certificate.js';
import { InventorySchema } from './inventory.js';
import { LintReportSchema } from './lint-report.js';
import { ManifestSchema } from './manifest.js';
import { ProbeResultSchema } from './probe-result.js';
import { SurfaceDefinitionSchema } from './surface-definition.js';

/** Every document schema, by the file name it is generated into under spec/schema/. */
export const DOCUMENT_SCHEMAS: Readonly<Record<string, TSchema>> = {
  'surface-definition.schema.json': SurfaceDefinitionSchema,
  'manifest.schema.json': ManifestSchema,
  'inventory.schema.json': InventorySchema,
  'adapter-capabilities.schema.json': AdapterCapabilitiesSchema,
  'probe-result.schema.json': ProbeResultSchema,
  'certificate.schema.json': CertificateSchema,
  'lint-report.schema.json': LintReportSchema,
};

/** The JSON text of a document schema as it is committed: draft-07, two-space indent, trailing newline. */
export function schemaJsonText(schema: TSchema): string {
  const {
    $id,
    title,
    'x-stateproof-version': version,
    ...rest
  } = schema as TSchema & { 'x-stateproof-version'?: number };
  return (
    JSON.stringify(
      { $schema: 'http://json-schema.org/draft-07/schema#', $id, title, 'x-stateproof-version': version, ...rest },
      null,
      2,
    ) + '\n'
  );
}
