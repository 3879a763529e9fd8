import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_PROPERTIES, type PropertySpec } from '@stateproof/conformance';
import { SURFACE_KINDS } from '@stateproof/spec';

const DIR = new URL('../src/properties/', import.meta.url);

/** The folders of a kind's properties; any other folder (projection/, telemetry/) holds the properties of a class. */
const KINDS = new Set<string>(SURFACE_KINDS);

/** Every `*-property.ts` file under src/properties/<kind>/, as `<kind>/<file>`. */
const propertyFiles = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'common')
  .flatMap((d) => readdirSync(new URL(`${d.name}/`, DIR)).map((f) => `${d.name}/${f}`))
  .filter((f) => f.endsWith('-property.ts'));

const isProperty = (v: unknown): v is PropertySpec =>
  typeof v === 'object' && v !== null && typeof (v as PropertySpec).name === 'string' && 'property' in v;

describe('the property files', () => {
  it('hold one property each, in a file named after it (queue/cancel in queue/queue-cancel-property.ts; a class folder: one per kind, record/projection-model and log/projection-model in projection/projection-model-property.ts)', async () => {
    const found: string[] = [];
    for (const file of propertyFiles) {
      const module = (await import(new URL(file.replace(/\.ts$/, '.js'), DIR).href)) as Record<string, unknown>;
      const properties = Object.values(module).filter(isProperty);
      const [folder, name] = file.replace(/-property\.ts$/, '').split('/') as [string, string];
      if (!KINDS.has(folder)) {
        // A class's folder (projection/, telemetry/): one concept per file, named after the folder,
        // one property of it per kind, `<kind>/<file>` (log/telemetry-drops in telemetry/telemetry-drops-property.ts).
        expect(name, file).toMatch(new RegExp(`^${folder}-`));
        expect(properties.length, file).toBeGreaterThan(0);
        expect(new Set(properties.map((p) => p.kind)).size, file).toBe(properties.length);
        for (const p of properties) expect(p.name, file).toBe(`${p.kind}/${name}`);
        found.push(...properties.map((p) => p.name));
        continue;
      }
      expect(
        properties.map((p) => p.name),
        file,
      ).toHaveLength(1);
      expect(properties[0]?.name, file).toBe(`${folder}/${name.slice(folder.length + 1)}`);
      found.push(properties[0]?.name as string);
    }
    expect(found.sort()).toEqual(ALL_PROPERTIES.map((p) => p.name).sort());
  });

  it('are not grouped by technique: no file holds several properties', () => {
    const all = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f !== 'all-properties.ts');
    expect(all.filter((f) => f.endsWith('-properties.ts') || /-(misc|scenario)-/.test(f))).toEqual([]);
  });
});
