import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_PROPERTIES, type PropertySpec } from '@stateproof/conformance';
import { SURFACE_KINDS } from '@stateproof/spec';

const DIR = new URL('../src/properties/', import.meta.url);

/** Every `*-property.ts` file under src/properties/<kind or class>/, as `<folder>/<file>`. */
const propertyFiles = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'common')
  .flatMap((d) => readdirSync(new URL(`${d.name}/`, DIR)).map((f) => `${d.name}/${f}`))
  .filter((f) => f.endsWith('-property.ts'));

const isProperty = (v: unknown): v is PropertySpec =>
  typeof v === 'object' && v !== null && typeof (v as PropertySpec).name === 'string' && 'property' in v;

describe('the property files', () => {
  it('hold one property each, in a file named after it (queue/cancel in queue/queue-cancel-property.ts)', async () => {
    const found: string[] = [];
    for (const file of propertyFiles) {
      const module = (await import(new URL(file.replace(/\.ts$/, '.js'), DIR).href)) as Record<string, unknown>;
      const properties = Object.values(module).filter(isProperty);
      expect(
        properties.map((p) => p.name),
        file,
      ).toHaveLength(1);
      const [folder, name] = file.replace(/-property\.ts$/, '').split('/') as [string, string];
      // A kind's folder names its properties `<kind>/<what>` (queue/queue-cancel-property.ts); a
      // class's folder (telemetry/) holds properties of the kinds the class allows, named
      // `<kind>/<class>-<what>` (log/telemetry-drops in telemetry/telemetry-drops-property.ts).
      const expected = (SURFACE_KINDS as readonly string[]).includes(folder)
        ? `${folder}/${name.slice(folder.length + 1)}`
        : `${properties[0]?.kind}/${name}`;
      if (!(SURFACE_KINDS as readonly string[]).includes(folder)) expect(name, file).toMatch(new RegExp(`^${folder}-`));
      expect(properties[0]?.name, file).toBe(expected);
      found.push(properties[0]?.name as string);
    }
    expect(found.sort()).toEqual(ALL_PROPERTIES.map((p) => p.name).sort());
  });

  it('are not grouped by technique: no file holds several properties', () => {
    const all = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f !== 'all-properties.ts');
    expect(all.filter((f) => f.endsWith('-properties.ts') || /-(misc|scenario)-/.test(f))).toEqual([]);
  });
});
