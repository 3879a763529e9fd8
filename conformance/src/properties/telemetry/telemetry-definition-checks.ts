import { Type } from '@sinclair/typebox';
import { claim, createRegistry, dataspace, log, queue, record } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** A definition the telemetry class must refuse, and the error code(s) it may refuse it with. */
interface RefusedDefinition {
  readonly what: string;
  readonly codes: readonly string[];
  readonly requirements: readonly RequirementId[];
  readonly define: () => unknown;
}

const NOT_ALLOWED = ['STATEPROOF_CLASS_NOT_ALLOWED'];
const INVALID = ['STATEPROOF_INVALID_OPTIONS'];

/** A telemetry log to be the (refused) source of a projection; bounded, so only the source is at fault. */
function telemetrySource(registry = createRegistry()) {
  return log('conformance.telemetry-source', {
    durability: 'telemetry',
    value: Type.Integer(),
    retention: { maxEntries: 10 },
    registry,
  });
}

/**
 * The definitions TEL-001 and TEL-005 forbid: telemetry as anything but a log (it drops entries, so
 * it can never be what a claim, queue or dataspace promises), as the source of a derived projection
 * (by the surface itself or by its id in the same registry), and a telemetry log without a bound.
 */
const REFUSED: readonly RefusedDefinition[] = [
  {
    what: 'a telemetry claim',
    codes: NOT_ALLOWED,
    requirements: ['TEL-005'],
    define: () =>
      claim('conformance.tel-claim', { durability: 'telemetry', result: Type.Unknown(), registry: createRegistry() }),
  },
  {
    what: 'a telemetry queue',
    codes: NOT_ALLOWED,
    requirements: ['TEL-005'],
    define: () =>
      queue('conformance.tel-queue', { durability: 'telemetry', payload: Type.Unknown(), registry: createRegistry() }),
  },
  {
    what: 'a telemetry dataspace',
    codes: NOT_ALLOWED,
    requirements: ['TEL-005'],
    define: () =>
      dataspace('conformance.tel-dataspace', {
        durability: 'telemetry',
        value: Type.Unknown(),
        registry: createRegistry(),
      }),
  },
  {
    what: 'a telemetry record',
    codes: NOT_ALLOWED,
    requirements: ['TEL-005'],
    define: () =>
      record('conformance.tel-record', { durability: 'telemetry', value: Type.Unknown(), registry: createRegistry() }),
  },
  {
    what: 'a derived projection whose source is a telemetry log (given as the surface)',
    codes: INVALID,
    requirements: ['TEL-005'],
    define: () => {
      const registry = createRegistry();
      return record('conformance.tel-projection', {
        durability: 'derived-projection',
        source: telemetrySource(registry),
        value: Type.Unknown(),
        registry,
      });
    },
  },
  {
    what: 'a derived projection whose source is a telemetry log (named by id)',
    codes: INVALID,
    requirements: ['TEL-005'],
    define: () => {
      const registry = createRegistry();
      const source = telemetrySource(registry);
      return log('conformance.tel-projection', {
        durability: 'derived-projection',
        source: source.id,
        value: Type.Unknown(),
        registry,
      });
    },
  },
  {
    what: 'a telemetry log without retention',
    codes: INVALID,
    requirements: ['TEL-001'],
    define: () =>
      log('conformance.tel-unbounded', { durability: 'telemetry', value: Type.Unknown(), registry: createRegistry() }),
  },
  {
    what: 'a telemetry log with an empty retention',
    codes: INVALID,
    requirements: ['TEL-001'],
    define: () =>
      log('conformance.tel-unbounded', {
        durability: 'telemetry',
        value: Type.Unknown(),
        retention: {},
        registry: createRegistry(),
      }),
  },
];

/**
 * Checks that every definition TEL-001 and TEL-005 forbid fails at once with its code. These are
 * core's checks, so they do not depend on the adapter; they are cheap and run whole each time.
 */
export async function expectRefusedDefinitions(): Promise<void> {
  for (const r of REFUSED) {
    const got = await outcome(async () => r.define());
    expectModel(
      !got.ok && r.codes.includes(got.code),
      r.requirements,
      () => `${r.what} must fail with ${r.codes.join(' or ')}, got ${got.ok ? 'a surface' : describeOutcome(got)}`,
    );
  }
}
