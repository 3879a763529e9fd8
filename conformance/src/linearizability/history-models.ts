import { claimLeaseModel } from './models/claim-lease-model.js';
import { dataspaceOwnershipModel } from './models/dataspace-ownership-model.js';
import { kvModel, type KvInput, type KvOutput } from './models/kv-model.js';
import { logStreamModel } from './models/log-stream-model.js';
import { recordCasModel } from './models/record-cas-model.js';
import { registerModel, type RegisterInput, type RegisterOutput } from './models/register-model.js';
import type { HistoryEvent, HistoryReader } from './recorded-history.js';
import type { SequentialModel } from './sequential-model.js';

/** A model `check-history --model NAME` knows, with how it reads a recorded history's events. */
export interface HistoryModel {
  /** The name `--model` takes. */
  readonly name: string;
  /** One line for `--help`: the functions it reads and what their values are. */
  readonly summary: string;
  /** The sequential specification the history is checked against. */
  readonly model: SequentialModel<unknown, unknown, unknown>;
  /** How the events become the model's inputs and outputs. */
  readonly reader: HistoryReader<unknown, unknown>;
}

const keyOf = (e: HistoryEvent, fallback?: string): string => {
  if (e.key !== undefined) return e.key;
  if (fallback !== undefined) return fallback;
  throw new Error(`${e.f} needs a "key"`);
};

const registerReader: HistoryReader<RegisterInput<unknown>, RegisterOutput<unknown>> = {
  input(e) {
    const key = keyOf(e, 'register');
    switch (e.f) {
      case 'read':
        return { op: 'read', key };
      case 'write':
        if (!('value' in e)) throw new Error('a write needs the "value" it writes');
        return { op: 'write', key, value: e.value };
      case 'cas':
        if (!Array.isArray(e.value) || e.value.length !== 2)
          throw new Error(`a cas needs "value": [expected, new], got ${JSON.stringify(e.value)}`);
        return { op: 'cas', key, expect: e.value[0], value: e.value[1] };
      default:
        throw new Error(`the register model knows read, write and cas, not "${e.f}"`);
    }
  },
  output(input, ok) {
    if (input.op === 'read') return { value: ok.value ?? null };
    return input.op === 'cas' ? { swapped: true } : { ok: true };
  },
};

const kvReader: HistoryReader<KvInput, KvOutput> = {
  input(e) {
    const key = keyOf(e);
    if (e.f === 'get') return { op: 'get', key };
    if (e.f !== 'put' && e.f !== 'append') throw new Error(`the kv model knows get, put and append, not "${e.f}"`);
    if (typeof e.value !== 'string') throw new Error(`a ${e.f} needs a string "value", got ${JSON.stringify(e.value)}`);
    return { op: e.f, key, value: e.value };
  },
  output(input, ok) {
    if (input.op !== 'get') return { value: '' };
    if (ok.value !== undefined && ok.value !== null && typeof ok.value !== 'string')
      throw new Error(`a get reads a string, got ${JSON.stringify(ok.value)}`);
    return { value: (ok.value as string | null | undefined) ?? '' };
  },
};

/**
 * The stateproof surface models take their calls as written by the suite's recorder: `f` is the
 * call's `op`, the invoke's `value` its other fields (an object), the ok's `value` the answer. The
 * object a call touches is the model's `keyField` (`key`, `stream` or `id`): the event's `"key"`,
 * else that field of the value; a call without one is refused (it would fall outside every
 * partition and go unchecked).
 */
function surfaceReader(ops: readonly string[], keyField: 'key' | 'stream' | 'id'): HistoryReader<unknown, unknown> {
  return {
    input(e) {
      if (!ops.includes(e.f)) throw new Error(`this model knows ${ops.join(', ')}, not "${e.f}"`);
      if (e.value !== undefined && (typeof e.value !== 'object' || e.value === null || Array.isArray(e.value)))
        throw new Error(`the invoke's "value" must be an object of the call's fields, got ${JSON.stringify(e.value)}`);
      const fields = (e.value ?? {}) as Record<string, unknown>;
      const key = e.key ?? fields[keyField];
      if (typeof key !== 'string' || key === '')
        throw new Error(`a ${e.f} needs the object it touches: "key" on the event, or "${keyField}" in its value`);
      return { ...fields, [keyField]: key, op: e.f };
    },
    output(_input, ok) {
      if (typeof ok.value !== 'object' || ok.value === null || Array.isArray(ok.value))
        throw new Error('the ok\'s "value" must be the answer, an object');
      return ok.value;
    },
  };
}

const erase = <S, I, O>(model: SequentialModel<S, I, O>) =>
  model as unknown as SequentialModel<unknown, unknown, unknown>;

/** The models of `check-history`, by name. */
export const HISTORY_MODELS: readonly HistoryModel[] = [
  {
    name: 'register',
    summary: 'read, write, cas (value [expected, new]); one register per "key" (default one), starting at null',
    model: erase(registerModel<unknown>(null)),
    reader: registerReader as HistoryReader<unknown, unknown>,
  },
  {
    name: 'kv',
    summary: 'get, put, append of strings per "key" (required), every key starting at ""',
    model: erase(kvModel()),
    reader: kvReader as HistoryReader<unknown, unknown>,
  },
  {
    name: 'record',
    summary: "a stateproof record surface: get, put, delete (value: the call's fields; ok value: the answer)",
    model: erase(recordCasModel),
    reader: surfaceReader(['get', 'put', 'delete'], 'key'),
  },
  {
    name: 'log',
    summary: 'a stateproof log surface: append, read, info',
    model: erase(logStreamModel),
    reader: surfaceReader(['append', 'read', 'info'], 'stream'),
  },
  {
    name: 'claim',
    summary: 'a stateproof claim surface: acquire, renew, complete, release',
    model: erase(claimLeaseModel),
    reader: surfaceReader(['acquire', 'renew', 'complete', 'release'], 'key'),
  },
  {
    name: 'dataspace',
    summary: 'a stateproof dataspace: assert, retract, get (per assertion id)',
    model: erase(dataspaceOwnershipModel),
    reader: surfaceReader(['assert', 'retract', 'get'], 'id'),
  },
];
