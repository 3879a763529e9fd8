import type { TSchema } from '@sinclair/typebox';
import {
  CLASSES,
  KINDS,
  assertIJson,
  classAllowsKind,
  isDurabilityClass,
  type SurfaceDefinitionDocument,
  type SurfaceKind,
} from '@stateproof/spec';
import type { ValidateFunction } from 'ajv';
import { ClassNotAllowedError, InvalidOptionsError, InvalidSchemaError } from '../errors/input-errors.js';
import { defaultRegistry, Registry } from '../registry/registry.js';
import { validateSurfaceId } from '../scope/validate-key.js';
import { valueAjv } from '../codec/value-ajv.js';
import { optionalInt, optionalNumber, optionObject } from '../validation/option-checks.js';
import {
  DEFAULT_ATTEMPT_HISTORY,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_VALUE_BYTES,
  DEFAULT_RETRY,
  DEFAULT_TELEMETRY,
} from './defaults.js';
import { projectionSourceProblem } from './class-rules.js';
import { callerLocation } from './source-location.js';
import type { AnySurface } from './surface.js';
import { COMMON_SURFACE_OPTIONS, KIND_SURFACE_OPTIONS, type SchemaRole } from './surface-option-keys.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(options: Record<string, unknown>, key: string): string | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || (key !== 'description' && v.trim() === '')) {
    throw new InvalidOptionsError(`${key} must be a non-empty string`, { path: key });
  }
  return v;
}

/** The JSON form of a TypeBox schema (symbols dropped), checked to compile. */
function compileSchema(
  schema: unknown,
  role: SchemaRole,
): { json: Record<string, unknown> | boolean; validate: ValidateFunction } {
  if (!(isPlainObject(schema) || typeof schema === 'boolean')) {
    throw new InvalidSchemaError(`${role} must be a TypeBox or JSON Schema object`, { path: role });
  }
  let json: Record<string, unknown> | boolean;
  try {
    json = JSON.parse(JSON.stringify(schema)) as Record<string, unknown> | boolean;
    assertIJson(json);
  } catch (cause) {
    throw new InvalidSchemaError(`${role} schema is not plain JSON`, { path: role, cause });
  }
  try {
    return { json, validate: valueAjv().compile(schema as object | boolean) };
  } catch (cause) {
    throw new InvalidSchemaError(`${role} schema does not compile: ${(cause as Error).message}`, { path: role, cause });
  }
}

/** The `source` option: a surface id, or the source surface itself (its id is what the manifest keeps). */
function sourceOf(o: Record<string, unknown>): string | undefined {
  const v = o['source'];
  if (isPlainObject(v) && typeof v['id'] === 'string' && isPlainObject(v['definition'])) return v['id'];
  return text(o, 'source');
}

/**
 * Validates the options of a definition, normalises them into the manifest entry, compiles the
 * value schemas and registers the surface. Every malformed option is an error with its path.
 */
export function defineSurface(kind: SurfaceKind, id: unknown, rawOptions: unknown): AnySurface {
  validateSurfaceId(id);
  if (!isPlainObject(rawOptions)) {
    throw new InvalidOptionsError(
      `options of ${kind} "${id}" must be an object with durability and the ${KINDS[kind].valueOption} schema`,
      { path: '' },
    );
  }
  const o = rawOptions;
  const spec = KIND_SURFACE_OPTIONS[kind];
  optionObject(o, '', [...COMMON_SURFACE_OPTIONS, ...spec.roles, ...spec.options]);

  const durability = o['durability'];
  if (!isDurabilityClass(durability)) {
    throw new InvalidOptionsError(
      `durability must be one of ${Object.keys(CLASSES).join(', ')}, got ${JSON.stringify(durability) ?? String(durability)}`,
      { path: 'durability' },
    );
  }
  if (!classAllowsKind(durability, kind)) {
    throw new ClassNotAllowedError(
      `a ${kind} cannot be ${durability}; that class allows ${CLASSES[durability].kinds.join(', ')}`,
      {
        path: 'durability',
        hint: `Choose a class whose kinds include ${kind} (see spec/contract/README.md).`,
      },
    );
  }
  const scope = o['scope'] ?? 'app';
  if (scope !== 'app' && scope !== 'deployment')
    throw new InvalidOptionsError(`scope must be "app" or "deployment"`, { path: 'scope' });
  const registry = o['registry'] ?? defaultRegistry();
  if (!(registry instanceof Registry))
    throw new InvalidOptionsError('registry must be a Registry (createRegistry())', { path: 'registry' });

  const schemas: Partial<Record<SchemaRole, TSchema>> = {};
  const jsonSchemas: Partial<Record<SchemaRole, Record<string, unknown> | boolean>> = {};
  const validators: Partial<Record<SchemaRole, ValidateFunction>> = {};
  spec.roles.forEach((role, i) => {
    const given = o[role];
    if (given === undefined) {
      if (i === 0)
        throw new InvalidOptionsError(`${role} schema is required (a TypeBox schema such as Type.Object({...}))`, {
          path: role,
        });
      return;
    }
    const { json, validate } = compileSchema(given, role);
    schemas[role] = given as TSchema;
    jsonSchemas[role] = json;
    validators[role] = validate;
  });

  const source = sourceOf(o);
  if (durability === 'derived-projection' && source === undefined) {
    throw new InvalidOptionsError(`a derived-projection must name its source surface`, {
      path: 'source',
      hint: "Add source: '<id of the surface it is derived from>'.",
    });
  }
  if (source !== undefined && durability !== 'derived-projection') {
    throw new InvalidOptionsError(`source is only for derived-projection surfaces`, { path: 'source' });
  }
  if (source !== undefined && !source.startsWith('external:')) {
    validateSurfaceId(source);
    // A source defined already (in this registry, or passed as the surface itself) is checked now;
    // one defined later is checked when both are bound (openRuntime) and by runtime.project.
    const known = isPlainObject(o['source']) ? (o['source'] as unknown as AnySurface) : registry.get(source);
    const problem = known && projectionSourceProblem(known);
    if (problem)
      throw new InvalidOptionsError(`derived projection "${id}" cannot be defined: ${problem}`, {
        path: 'source',
        hint: 'Project from an authoritative log (ephemeral and telemetry are not; spec/contract/classes.md, PRJ-001).',
      });
  }

  const bounds: SurfaceDefinitionDocument['bounds'] = {
    maxValueBytes:
      optionalInt(o['maxValueBytes'], 'maxValueBytes', { max: 64 * 1024 * 1024 }) ?? DEFAULT_MAX_VALUE_BYTES,
  };
  const options: SurfaceDefinitionDocument['options'] = {};

  if (kind === 'record') {
    const ttlMs = optionalInt(o['ttlMs'], 'ttlMs');
    if (ttlMs !== undefined) bounds.ttlMs = ttlMs;
  }
  if (kind === 'log') {
    if (o['retention'] !== undefined) {
      const retention = optionObject(o['retention'], 'retention', ['maxEntries', 'maxAgeMs']);
      const maxEntries = optionalInt(retention['maxEntries'], 'retention.maxEntries');
      const maxAgeMs = optionalInt(retention['maxAgeMs'], 'retention.maxAgeMs');
      if (maxEntries !== undefined) bounds.maxEntries = maxEntries;
      if (maxAgeMs !== undefined) bounds.maxAgeMs = maxAgeMs;
    }
    if (o['telemetry'] !== undefined) {
      if (durability !== 'telemetry')
        throw new InvalidOptionsError('telemetry (the emit buffer) is only for telemetry logs', { path: 'telemetry' });
      const t = optionObject(o['telemetry'], 'telemetry', ['buffer', 'drop']);
      const drop = t['drop'] ?? DEFAULT_TELEMETRY.drop;
      if (drop !== 'newest' && drop !== 'oldest')
        throw new InvalidOptionsError(`telemetry.drop must be "newest" or "oldest", got ${JSON.stringify(drop)}`, {
          path: 'telemetry.drop',
        });
      options.telemetry = {
        buffer: optionalInt(t['buffer'], 'telemetry.buffer', { max: 1_000_000 }) ?? DEFAULT_TELEMETRY.buffer,
        drop,
      };
    }
    if (durability === 'telemetry' && bounds.maxEntries === undefined && bounds.maxAgeMs === undefined) {
      throw new InvalidOptionsError(
        'a telemetry log must be bounded: give retention.maxEntries or retention.maxAgeMs',
        { path: 'retention' },
      );
    }
  }
  if (kind === 'claim' || kind === 'queue' || kind === 'dataspace') {
    options.leaseMs = optionalInt(o['leaseMs'], 'leaseMs') ?? DEFAULT_LEASE_MS;
  }
  if (kind === 'queue') {
    const retry = optionObject(o['retry'], 'retry', Object.keys(DEFAULT_RETRY));
    options.retry = {
      maxAttempts: optionalInt(retry['maxAttempts'], 'retry.maxAttempts', { max: 1000 }) ?? DEFAULT_RETRY.maxAttempts,
      baseDelayMs: optionalInt(retry['baseDelayMs'], 'retry.baseDelayMs', { min: 0 }) ?? DEFAULT_RETRY.baseDelayMs,
      factor: optionalNumber(retry['factor'], 'retry.factor', 1, 10) ?? DEFAULT_RETRY.factor,
      maxDelayMs: optionalInt(retry['maxDelayMs'], 'retry.maxDelayMs', { min: 0 }) ?? DEFAULT_RETRY.maxDelayMs,
      jitter: optionalNumber(retry['jitter'], 'retry.jitter', 0, 1) ?? DEFAULT_RETRY.jitter,
    };
    const maxRuntimeMs = optionalInt(o['maxRuntimeMs'], 'maxRuntimeMs');
    if (maxRuntimeMs !== undefined) options.maxRuntimeMs = maxRuntimeMs;
    const concurrency = optionObject(o['concurrency'], 'concurrency', ['global', 'perQueue']);
    const global = optionalInt(concurrency['global'], 'concurrency.global');
    const perQueue = optionalInt(concurrency['perQueue'], 'concurrency.perQueue');
    options.concurrency = {
      ...(global === undefined ? {} : { global }),
      ...(perQueue === undefined ? {} : { perQueue }),
    };
    bounds.attemptHistory =
      optionalInt(o['attemptHistory'], 'attemptHistory', { max: 1000 }) ?? DEFAULT_ATTEMPT_HISTORY;
    // Recorded only when declared, so that the fingerprint of a queue that keeps the default does not change.
    const retention = optionObject(o['retention'], 'retention', ['finishedMs']);
    const finishedMs = optionalInt(retention['finishedMs'], 'retention.finishedMs');
    if (finishedMs !== undefined) bounds.finishedRetentionMs = finishedMs;
  }
  if (kind === 'dataspace') {
    const retention = optionObject(o['retention'], 'retention', ['endedSessionsMs']);
    const endedSessionsMs = optionalInt(retention['endedSessionsMs'], 'retention.endedSessionsMs');
    if (endedSessionsMs !== undefined) bounds.endedSessionRetentionMs = endedSessionsMs;
  }

  const owner = text(o, 'owner');
  const recovery = text(o, 'recovery');
  const description = text(o, 'description');
  const location = callerLocation();
  const definition: SurfaceDefinitionDocument = {
    id,
    kind,
    class: durability,
    scope,
    schemaVersion: optionalInt(o['schemaVersion'], 'schemaVersion') ?? 1,
    schemas: jsonSchemas,
    bounds,
    options,
    ...(source === undefined ? {} : { source }),
    ...(owner === undefined ? {} : { owner }),
    ...(recovery === undefined ? {} : { recovery }),
    ...(description === undefined ? {} : { description }),
    ...(location === undefined ? {} : { location }),
  };
  const surface = Object.freeze({ id, kind, class: durability, definition, schemas, validators }) as AnySurface;
  registry.define(surface);
  return surface;
}
