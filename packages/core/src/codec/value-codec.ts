import { assertIJson, type SurfaceKind } from '@stateproof/spec';
import type { ValidateFunction } from 'ajv';
import { EnvelopeCorruptError, EnvelopeMismatchError, ValueTooLargeError } from '../errors/input-errors.js';
import type { ViolationReporter } from '../runtime/violation-reporter.js';
import type { ScopeLevel } from '../scope/runtime-scope.js';
import { CODEC_ID, envelopeHeader, type Envelope } from './envelope.js';

/** What a codec needs to know about its surface and runtime. */
export interface ValueCodecOptions {
  /** The envelope written with, and expected on, every value. */
  readonly envelope: Envelope;
  /** The surface's scope level, which decides whether deployment and fingerprint are checked on read. */
  readonly level: ScopeLevel;
  /** Largest value JSON, in UTF-8 bytes. */
  readonly maxValueBytes: number;
  /** Compiled schema validator; schema violations go to the reporter (mode-governed). */
  readonly validate: ValidateFunction | undefined;
  /** Where schema violations go; the runtime mode decides what they do. */
  readonly reporter: ViolationReporter;
  /** What the values are called in messages (value, payload, result, message). */
  readonly role: string;
}

/**
 * Encodes values into `<envelope header>\n<value JSON>` and decodes them back. Writes are checked
 * for I-JSON (no `__proto__`), size and schema; reads check the envelope before parsing the value,
 * then the schema. Malformed input is refused in every mode; schema violations follow the mode.
 */
export class ValueCodec<T> {
  private readonly header: string;
  private readonly kind: SurfaceKind;

  /** A codec for one surface and role. */
  constructor(private readonly o: ValueCodecOptions) {
    this.header = envelopeHeader(o.envelope);
    this.kind = o.envelope.kind;
  }

  /** Encodes `value`; throws a typed error (and writes nothing) when it cannot be stored faithfully. */
  encode(value: T): string {
    assertIJson(value, { forbidProtoKeys: true });
    const json = JSON.stringify(value);
    // UTF-8 needs at most 3 bytes per UTF-16 unit, so short values skip the byte count.
    if (json.length * 3 > this.o.maxValueBytes) {
      const bytes = Buffer.byteLength(json, 'utf8');
      if (bytes > this.o.maxValueBytes)
        throw new ValueTooLargeError(bytes, this.o.maxValueBytes, this.o.envelope.surface);
    }
    this.check(value, 'write');
    return `${this.header}\n${json}`;
  }

  /** Decodes a stored value; the envelope is checked before the value is parsed. */
  decode(stored: string): T {
    const nl = stored.indexOf('\n');
    if (nl < 0)
      throw new EnvelopeCorruptError(`stored ${this.o.role} of surface "${this.o.envelope.surface}" has no envelope`);
    const header = stored.slice(0, nl);
    if (header !== this.header) this.checkHeader(header);
    let value: unknown;
    try {
      value = JSON.parse(stored.slice(nl + 1));
    } catch (cause) {
      throw new EnvelopeCorruptError(`stored ${this.o.role} of surface "${this.o.envelope.surface}" is not JSON`, {
        cause,
      });
    }
    assertIJson(value, { forbidProtoKeys: true });
    this.check(value, 'read');
    return value as T;
  }

  private check(value: unknown, direction: 'write' | 'read'): void {
    const validate = this.o.validate;
    if (!validate || validate(value)) return;
    const e = validate.errors?.[0];
    const path = e?.instancePath ?? '';
    this.o.reporter.report(
      'STATEPROOF_SCHEMA_VIOLATION',
      `${this.o.role} ${direction === 'write' ? 'written to' : 'read from'} surface "${this.o.envelope.surface}" violates its schema at ${path || '/'}: ${e?.message ?? 'invalid'}`,
      { subject: this.o.envelope.surface, path, details: { direction, keyword: e?.keyword } },
    );
  }

  private checkHeader(header: string): void {
    let got: Partial<Envelope>;
    try {
      got = JSON.parse(header) as Partial<Envelope>;
    } catch (cause) {
      throw new EnvelopeCorruptError(
        `stored ${this.o.role} of surface "${this.o.envelope.surface}" has an unreadable envelope`,
        { cause },
      );
    }
    const want = this.o.envelope;
    const fields: Array<keyof Envelope> = ['codec', 'kind', 'surface', 'app', 'schemaVersion'];
    if (this.o.level === 'deployment') fields.push('deployment', 'fingerprint');
    for (const field of fields) {
      if (got[field] !== want[field]) {
        throw new EnvelopeMismatchError(
          `stored ${this.o.role} of ${this.kind} "${want.surface}" has ${field} ${JSON.stringify(got[field])}, expected ${JSON.stringify(want[field])}; rejected before decoding`,
          {
            path: `envelope/${field}`,
            details: { field, stored: got[field] ?? null, expected: want[field] },
            hint:
              field === 'schemaVersion'
                ? 'The value was written under another schemaVersion: migrate the stored data or read it with the matching build.'
                : 'The value belongs to another app, deployment, build or surface; do not share keyspaces between them.',
          },
        );
      }
    }
  }
}

/** The codec id current writers use. */
export { CODEC_ID };
