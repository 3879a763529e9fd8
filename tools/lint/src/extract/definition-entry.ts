import type * as ts from 'typescript';
import { typescript } from '../typescript.js';
import {
  COMMON_SURFACE_OPTIONS,
  DEFAULT_ATTEMPT_HISTORY,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_VALUE_BYTES,
  DEFAULT_RETRY,
  DEFAULT_TELEMETRY,
  KIND_SURFACE_OPTIONS,
  validateSurfaceId,
} from '@stateproof/core';
import {
  CLASSES,
  KINDS,
  StateproofError,
  classAllowsKind,
  isDurabilityClass,
  type SurfaceDefinitionDocument,
  type SurfaceKind,
} from '@stateproof/spec';
import type { RuleName } from '../rules/rule-catalog.js';
import type { DefinitionSite } from './find-definitions.js';
import {
  SurfaceValue,
  Unknown,
  isStaticObject,
  toPlain,
  type PlainValue,
  type StaticObject,
  type StaticValue,
} from './static-value.js';

/** A problem found in one definition, at a node of its call. */
export interface SiteProblem {
  /** The rule it breaks. */
  readonly rule: RuleName;
  /** What is wrong. */
  readonly message: string;
  /** Where: the node of the call it is about. */
  readonly node: ts.Node;
}

/** The JSON Schema keyword that marks a schema the linter could not compute. */
export const UNKNOWN_SCHEMA_KEYWORD = 'x-stateproof-unknown';

/** Why a static id would be refused at load time (the check of @stateproof/core), or undefined when it is fine. */
export function idProblem(id: StaticValue): string | undefined {
  if (id instanceof Unknown) return undefined;
  if (typeof id !== 'string')
    return `surface id must be a string, got ${id === null ? 'null' : Array.isArray(id) ? 'an array' : typeof id}`;
  try {
    validateSurfaceId(id);
    return undefined;
  } catch (error) {
    if (error instanceof StateproofError) return error.message;
    throw error;
  }
}

/**
 * The manifest entry of a top-level definition with a static id, normalised exactly as
 * `defineSurface` of @stateproof/core normalises it (defaults included), so that the manifest the
 * linter writes has the fingerprint the runtime computes. Options that cannot be evaluated, or
 * that the runtime would refuse, are problems; the entry is undefined when the class is unknown.
 */
export function definitionEntry(
  site: DefinitionSite,
  id: string,
  location: { file: string; line: number; column: number },
): {
  /** The manifest entry; absent when the class is unknown. */
  entry?: SurfaceDefinitionDocument;
  /** The problems found. */
  problems: SiteProblem[];
} {
  const problems: SiteProblem[] = [];
  const at = site.optionsNode ?? site.call;
  const nodeOf = (key: string): ts.Node => propertyNode(site.optionsNode, key) ?? at;
  const fail = (rule: RuleName, message: string, node: ts.Node = at) => problems.push({ rule, message, node });
  const kind = site.kind;
  if (!isStaticObject(site.options)) {
    const why = site.options instanceof Unknown ? site.options.reason : 'is not an object literal';
    fail('non-static-options', `the options of ${kind} "${id}" are not static: ${why}`);
    return { problems };
  }
  const o = site.options;
  const spec = KIND_SURFACE_OPTIONS[kind];
  const allowed = new Set([...COMMON_SURFACE_OPTIONS, ...spec.roles, ...spec.options]);
  for (const key of Object.keys(o)) {
    if (!allowed.has(key))
      fail(
        'invalid-definition',
        `${kind} "${id}" has an unknown option ${key} (allowed: ${[...allowed].join(', ')})`,
        nodeOf(key),
      );
  }

  const durability = o['durability'];
  if (durability instanceof Unknown) {
    fail(
      'non-static-options',
      `the durability of ${kind} "${id}" is not static: ${durability.reason}`,
      nodeOf('durability'),
    );
    return { problems };
  }
  if (!isDurabilityClass(durability)) {
    fail(
      'invalid-definition',
      `${kind} "${id}" has durability ${JSON.stringify(durability) ?? 'undefined'}; expected one of ${Object.keys(CLASSES).join(', ')}`,
      nodeOf('durability'),
    );
    return { problems };
  }
  if (!classAllowsKind(durability, kind)) {
    fail(
      'invalid-definition',
      `a ${kind} cannot be ${durability}; that class allows ${CLASSES[durability].kinds.join(', ')}`,
      nodeOf('durability'),
    );
  }

  // A static value of an option, or a problem when it is computed.
  const read = (key: string, value: StaticValue = o[key]): PlainValue | undefined => {
    if (value === undefined) return undefined;
    const plain = toPlain(value);
    if (plain instanceof Unknown) {
      fail(
        'non-static-options',
        `option ${key} of ${kind} "${id}" is not static: ${plain.reason}`,
        nodeOf(key.split('.')[0] as string),
      );
      return undefined;
    }
    return plain;
  };
  const int = (
    key: string,
    value: StaticValue = o[key],
    min = 1,
    max = Number.MAX_SAFE_INTEGER,
  ): number | undefined => {
    const v = read(key, value);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(
        'invalid-definition',
        `option ${key} of ${kind} "${id}" must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
        nodeOf(key.split('.')[0] as string),
      );
      return undefined;
    }
    return v;
  };
  const num = (key: string, value: StaticValue, min: number, max: number): number | undefined => {
    const v = read(key, value);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || v < min || v > max) {
      fail(
        'invalid-definition',
        `option ${key} of ${kind} "${id}" must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`,
        nodeOf(key.split('.')[0] as string),
      );
      return undefined;
    }
    return v;
  };
  const text = (key: string): string | undefined => {
    const v = read(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || (key !== 'description' && v.trim() === '')) {
      fail('invalid-definition', `option ${key} of ${kind} "${id}" must be a non-empty string`, nodeOf(key));
      return undefined;
    }
    return v;
  };
  const object = (key: string, value: StaticValue, keys: readonly string[]): StaticObject => {
    if (value === undefined) return {};
    if (value instanceof Unknown) {
      fail('non-static-options', `option ${key} of ${kind} "${id}" is not static: ${value.reason}`, nodeOf(key));
      return {};
    }
    if (!isStaticObject(value)) {
      fail('invalid-definition', `option ${key} of ${kind} "${id}" must be an object`, nodeOf(key));
      return {};
    }
    for (const k of Object.keys(value))
      if (!keys.includes(k))
        fail(
          'invalid-definition',
          `option ${key}.${k} of ${kind} "${id}" is unknown (allowed: ${keys.join(', ')})`,
          nodeOf(key),
        );
    return value;
  };

  const scopeValue = read('scope') ?? 'app';
  if (scopeValue !== 'app' && scopeValue !== 'deployment')
    fail('invalid-definition', `option scope of ${kind} "${id}" must be "app" or "deployment"`, nodeOf('scope'));
  const scope = scopeValue === 'deployment' ? 'deployment' : 'app';

  const schemas: Record<string, PlainValue> = {};
  spec.roles.forEach((role, i) => {
    const given = o[role];
    if (given === undefined) {
      if (i === 0)
        fail(
          'invalid-definition',
          `${kind} "${id}" needs a ${role} schema (a TypeBox schema such as Type.Object({...}))`,
        );
      return;
    }
    const plain = given instanceof Unknown ? given : toPlain(given);
    if (plain instanceof Unknown) {
      fail(
        'unknown-schema',
        `the ${role} schema of ${kind} "${id}" is not statically known (${plain.reason}); the manifest marks it unknown`,
        nodeOf(role),
      );
      schemas[role] = { [UNKNOWN_SCHEMA_KEYWORD]: plain.reason };
    } else if ((typeof plain === 'object' && plain !== null && !Array.isArray(plain)) || typeof plain === 'boolean') {
      schemas[role] = plain;
    } else {
      fail(
        'invalid-definition',
        `the ${role} schema of ${kind} "${id}" must be a TypeBox or JSON Schema object`,
        nodeOf(role),
      );
    }
  });

  // The source is an id, or the source surface itself (`source: ordersLog`), followed to its
  // definition and recorded by its id, as the runtime records it.
  const sourceValue = o['source'];
  const source = sourceValue instanceof SurfaceValue ? sourceValue.id : text('source');
  if (source !== undefined && durability !== 'derived-projection')
    fail(
      'invalid-definition',
      `source is only for derived-projection surfaces, and ${kind} "${id}" is ${durability}`,
      nodeOf('source'),
    );
  const sourceIdProblem = source === undefined || source.startsWith('external:') ? undefined : idProblem(source);
  if (sourceIdProblem)
    fail(
      'invalid-definition',
      `the source of ${kind} "${id}" is not a surface id: ${sourceIdProblem}`,
      nodeOf('source'),
    );

  const bounds: SurfaceDefinitionDocument['bounds'] = {
    maxValueBytes: int('maxValueBytes', o['maxValueBytes'], 1, 64 * 1024 * 1024) ?? DEFAULT_MAX_VALUE_BYTES,
  };
  const options: SurfaceDefinitionDocument['options'] = {};
  if (kind === 'record') {
    const ttlMs = int('ttlMs');
    if (ttlMs !== undefined) bounds.ttlMs = ttlMs;
  }
  if (kind === 'log') {
    const retention = object('retention', o['retention'], ['maxEntries', 'maxAgeMs']);
    const maxEntries = int('retention.maxEntries', retention['maxEntries']);
    const maxAgeMs = int('retention.maxAgeMs', retention['maxAgeMs']);
    if (maxEntries !== undefined) bounds.maxEntries = maxEntries;
    if (maxAgeMs !== undefined) bounds.maxAgeMs = maxAgeMs;
    if (o['telemetry'] !== undefined) {
      if (durability !== 'telemetry')
        fail(
          'invalid-definition',
          `telemetry (the emit buffer) is only for telemetry logs, and log "${id}" is ${durability}`,
          nodeOf('telemetry'),
        );
      // The manifest records the buffer when it is declared, defaults filled in, as defineSurface does.
      const telemetry = object('telemetry', o['telemetry'], ['buffer', 'drop']);
      const drop = read('telemetry.drop', telemetry['drop']) ?? DEFAULT_TELEMETRY.drop;
      if (drop !== 'newest' && drop !== 'oldest')
        fail(
          'invalid-definition',
          `option telemetry.drop of log "${id}" must be "newest" or "oldest", got ${JSON.stringify(drop)}`,
          nodeOf('telemetry'),
        );
      options.telemetry = {
        buffer: int('telemetry.buffer', telemetry['buffer'], 1, 1_000_000) ?? DEFAULT_TELEMETRY.buffer,
        drop: drop === 'oldest' ? 'oldest' : 'newest',
      };
    }
  }
  if (kind === 'claim' || kind === 'queue' || kind === 'dataspace')
    options.leaseMs = int('leaseMs') ?? DEFAULT_LEASE_MS;
  if (kind === 'queue') {
    const retry = object('retry', o['retry'], Object.keys(DEFAULT_RETRY));
    options.retry = {
      maxAttempts: int('retry.maxAttempts', retry['maxAttempts'], 1, 1000) ?? DEFAULT_RETRY.maxAttempts,
      baseDelayMs: int('retry.baseDelayMs', retry['baseDelayMs'], 0) ?? DEFAULT_RETRY.baseDelayMs,
      factor: num('retry.factor', retry['factor'], 1, 10) ?? DEFAULT_RETRY.factor,
      maxDelayMs: int('retry.maxDelayMs', retry['maxDelayMs'], 0) ?? DEFAULT_RETRY.maxDelayMs,
      jitter: num('retry.jitter', retry['jitter'], 0, 1) ?? DEFAULT_RETRY.jitter,
    };
    const maxRuntimeMs = int('maxRuntimeMs');
    if (maxRuntimeMs !== undefined) options.maxRuntimeMs = maxRuntimeMs;
    const concurrency = object('concurrency', o['concurrency'], ['global', 'perQueue']);
    const global = int('concurrency.global', concurrency['global']);
    const perQueue = int('concurrency.perQueue', concurrency['perQueue']);
    options.concurrency = {
      ...(global === undefined ? {} : { global }),
      ...(perQueue === undefined ? {} : { perQueue }),
    };
    bounds.attemptHistory = int('attemptHistory', o['attemptHistory'], 1, 1000) ?? DEFAULT_ATTEMPT_HISTORY;
    // Recorded only when declared, as defineSurface does.
    const retention = object('retention', o['retention'], ['finishedMs']);
    const finishedMs = int('retention.finishedMs', retention['finishedMs']);
    if (finishedMs !== undefined) bounds.finishedRetentionMs = finishedMs;
  }
  if (kind === 'dataspace') {
    const retention = object('retention', o['retention'], ['endedSessionsMs']);
    const endedSessionsMs = int('retention.endedSessionsMs', retention['endedSessionsMs']);
    if (endedSessionsMs !== undefined) bounds.endedSessionRetentionMs = endedSessionsMs;
  }
  const owner = text('owner');
  const recovery = text('recovery');
  const description = text('description');
  const entry: SurfaceDefinitionDocument = {
    id,
    kind,
    class: durability,
    scope,
    schemaVersion: int('schemaVersion') ?? 1,
    schemas: schemas as SurfaceDefinitionDocument['schemas'],
    bounds,
    options,
    ...(source === undefined ? {} : { source }),
    ...(owner === undefined ? {} : { owner }),
    ...(recovery === undefined ? {} : { recovery }),
    ...(description === undefined ? {} : { description }),
    location,
  };
  return { entry, problems };
}

/** The node of property `key` in an object literal, for precise positions. */
function propertyNode(options: ts.Expression | undefined, key: string): ts.Node | undefined {
  let e = options;
  while (
    e &&
    (typescript.isParenthesizedExpression(e) || typescript.isAsExpression(e) || typescript.isSatisfiesExpression(e))
  )
    e = e.expression;
  if (!e || !typescript.isObjectLiteralExpression(e)) return undefined;
  for (const p of e.properties) {
    const name = p.name;
    if (name && (typescript.isIdentifier(name) || typescript.isStringLiteral(name)) && name.text === key) return p;
  }
  return undefined;
}

/** The option that holds a kind's value schema, for messages. */
export function valueRole(kind: SurfaceKind): string {
  return KINDS[kind].valueOption;
}
