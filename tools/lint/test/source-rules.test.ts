import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { fixture, line } from './helpers.js';

describe('the source rules on the violations fixture', () => {
  const result = lint({ cwd: fixture('violations'), deployment: { replicas: 3 } });

  it('reports exactly these diagnostics, sorted by file and position', () => {
    expect(result.diagnostics.map(line)).toEqual([
      'src/authority.ts:6:26 telemetry-as-authority derived projection "metrics.per-minute" cannot be defined: its source "metrics.raw" is telemetry, which drops entries by design and is never the authority a projection folds',
      'src/authority.ts:7:23 telemetry-as-authority derived projection "scratch.digest" cannot be defined: its source "scratch.events" is ephemeral: a projection of state that may vanish could not be rebuilt from it',
      'src/authority.ts:8:21 telemetry-as-authority derived projection "metrics.by-id" cannot be defined: its source "metrics.raw" is telemetry, which drops entries by design and is never the authority a projection folds',
      'src/authority.ts:9:23 unbounded-telemetry telemetry queue "metrics.replay" has no bound; declare retention by count or age',
      'src/authority.ts:9:49 invalid-definition a queue cannot be telemetry; that class allows log',
      'src/contract.ts:5:24 projection-without-source derived projection "orders.summary" does not name its source surface',
      'src/contract.ts:6:22 projection-without-source derived projection "orders.by-day" names source "orders.missing", which is not in the inventory',
      'src/contract.ts:7:27 telemetry-as-authority derived projection "orders.by-customer" cannot be defined: its source "orders.main" is a record; a projector folds the entries of a log',
      'src/contract.ts:8:24 unbounded-telemetry telemetry log "metrics.raw" has no bound; declare retention by count or age',
      'src/contract.ts:11:98 non-static-options option ttlMs of record "sessions" is not static: ttl is computed at run time (calls Number())',
      'src/contract.ts:16:70 unknown-schema the value schema of record "blobs" is not statically known (calls makeSchema()); the manifest marks it unknown',
      'src/contract.ts:18:46 invalid-definition a channel cannot be shared-durable; that class allows record, log, claim, queue, dataspace',
      'src/contract.ts:20:23 local-state-multi-replica restart-safe-local dataspace "routes.local" is used in a deployment of 3 replicas; each replica would keep its own copy',
      'src/duplicates.ts:6:29 duplicate-id surface id "orders.main" is already defined at line 5',
      'src/dynamic.ts:7:32 dynamic-id the id of this record is not static: region is computed at run time (process is a global, not a constant); use a string literal or a literal-valued const',
      'src/dynamic.ts:8:31 dynamic-id the id of this record is not static: mutableId is not a const; use a string literal or a literal-valued const',
      'src/dynamic.ts:9:29 dynamic-id the id of this log is not static: calls makeId(); use a string literal or a literal-valued const',
      'src/runtime.ts:5:10 runtime-definition shared-durable record "cache.per-call" is defined inside function makeCache; only ephemeral surfaces may be defined at run time',
      'src/runtime.ts:9:10 runtime-definition shared-durable queue "svc.jobs" is defined inside class field jobs; only ephemeral surfaces may be defined at run time',
      'src/runtime.ts:11:12 runtime-definition restart-safe-local log "svc.log" is defined inside method start; only ephemeral surfaces may be defined at run time',
      'src/runtime.ts:15:50 runtime-definition a shared-durable record is defined inside a callback; only ephemeral surfaces may be defined at run time',
      'src/runtime.ts:15:57 dynamic-id the id of this record is not static: name is a parameter or local variable; use a string literal or a literal-valued const',
      'src/runtime.ts:18:3 runtime-definition a shared-durable record is defined inside a loop; only ephemeral surfaces may be defined at run time',
      'src/runtime.ts:18:10 dynamic-id the id of this record is not static: zone is a parameter or local variable; use a string literal or a literal-valued const',
      'src/runtime.ts:22:3 runtime-definition shared-durable record "feature.flag" is defined inside a conditional; only ephemeral surfaces may be defined at run time',
    ]);
  });

  it('gives each diagnostic its rule severity, range, surface id and fix', () => {
    const dup = result.diagnostics.find((d) => d.rule === 'duplicate-id');
    expect(dup).toEqual({
      rule: 'duplicate-id',
      severity: 'error',
      message: 'surface id "orders.main" is already defined at line 5',
      file: 'src/duplicates.ts',
      line: 6,
      column: 29,
      endLine: 6,
      endColumn: 42,
      surfaceId: 'orders.main',
      fix: 'Give each surface its own id.',
    });
    expect(result.diagnostics.find((d) => d.rule === 'unknown-schema')?.severity).toBe('warning');
  });

  it('fails with exit code 1, keeps the first of a duplicate id and leaves runtime and dynamic definitions out of the inventory', () => {
    expect(result.exitCode).toBe(1);
    expect(result.surfaces.map((s) => s.id)).toEqual([
      'blobs',
      'metrics.by-id',
      'metrics.per-minute',
      'metrics.raw',
      'metrics.replay',
      'orders.by-customer',
      'orders.by-day',
      'orders.main',
      'orders.summary',
      'routes.local',
      'scratch.digest',
      'scratch.events',
      'sessions',
      'ws.fanout',
    ]);
    expect(result.surfaces.find((s) => s.id === 'orders.main')?.schemas).toEqual({ value: { type: 'string' } });
    expect(result.surfaces.find((s) => s.id === 'blobs')?.schemas).toEqual({
      value: { 'x-stateproof-unknown': 'calls makeSchema()' },
    });
    expect(result.surfaces.find((s) => s.id === 'sessions')?.bounds).toEqual({ maxValueBytes: 1_048_576 });
  });

  it('does not report restart-safe-local state without a multi-replica deployment, or when it is allowed', () => {
    const single = lint({ cwd: fixture('violations') });
    expect(single.diagnostics.filter((d) => d.rule === 'local-state-multi-replica')).toEqual([]);
    const allowed = lint({
      cwd: fixture('violations'),
      deployment: { replicas: 3, allowLocalState: ['routes.local'] },
    });
    expect(allowed.diagnostics.filter((d) => d.rule === 'local-state-multi-replica')).toEqual([]);
  });
});

describe('the basic fixture', () => {
  it('is clean: aliases, namespace imports, re-exports, as-const ids and ephemeral definitions in functions are all fine', () => {
    const result = lint({ cwd: fixture('basic'), deployment: { replicas: 2, allowLocalState: ['presence.routes'] } });
    expect(result.diagnostics.map(line)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.files).toBe(6);
    expect(result.surfaces.map((s) => `${s.id} ${s.kind} ${s.class} ${s.location?.file}:${s.location?.line}`)).toEqual([
      'effects.charge-card claim shared-durable src/state/jobs.ts:15',
      'jobs.default queue shared-durable src/state/jobs.ts:7',
      'orders.by-customer record derived-projection src/state/jobs.ts:24',
      'presence.routes dataspace restart-safe-local src/state/jobs.ts:20',
      'shop.audit log telemetry src/state/orders.ts:16',
      'shop.order-events log shared-durable src/state/orders.ts:24',
      'shop.orders record shared-durable src/state/orders.ts:8',
      'ws.fanout channel ephemeral src/state/jobs.ts:22',
    ]);
  });
});
