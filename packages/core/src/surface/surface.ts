import type { TSchema } from '@sinclair/typebox';
import type { DurabilityClass, SurfaceDefinitionDocument, SurfaceKind } from '@stateproof/spec';
import type { ValidateFunction } from 'ajv';

/** Type-level marker carrying a surface's value types; never present at runtime. */
declare const VALUE_TYPES: unique symbol;

/** What every surface has, whatever its kind. */
export interface SurfaceBase<K extends SurfaceKind = SurfaceKind> {
  /** Stable id, e.g. `orders.by-id`. */
  readonly id: string;
  /** The surface kind. */
  readonly kind: K;
  /** The durability class it declares. */
  readonly class: DurabilityClass;
  /** The normalised definition, exactly as it appears in the manifest. */
  readonly definition: SurfaceDefinitionDocument;
  /** Compiled validators of the value schemas, by role (value, payload, result, message). */
  readonly validators: Readonly<Partial<Record<'value' | 'payload' | 'result' | 'message', ValidateFunction>>>;
  /** The TypeBox (JSON) schemas as given. */
  readonly schemas: Readonly<Partial<Record<'value' | 'payload' | 'result' | 'message', TSchema>>>;
}

/** A record surface holding values of type `T`. */
export interface RecordSurface<T = unknown> extends SurfaceBase<'record'> {
  /** @internal Type-level only: carries the value types for inference; never present at runtime. */
  readonly [VALUE_TYPES]?: { value: T };
}
/** A log surface whose entries have type `T`. */
export interface LogSurface<T = unknown> extends SurfaceBase<'log'> {
  /** @internal Type-level only: carries the value types for inference; never present at runtime. */
  readonly [VALUE_TYPES]?: { value: T };
}
/** A claim surface whose completed results have type `R`. */
export interface ClaimSurface<R = unknown> extends SurfaceBase<'claim'> {
  /** @internal Type-level only: carries the value types for inference; never present at runtime. */
  readonly [VALUE_TYPES]?: { result: R };
}
/** A queue surface with payloads of type `P` and results of type `R`. */
export interface QueueSurface<P = unknown, R = unknown> extends SurfaceBase<'queue'> {
  /** @internal Type-level only: carries the value types for inference; never present at runtime. */
  readonly [VALUE_TYPES]?: { payload: P; result: R };
}
/** A dataspace surface whose assertions have type `T`. */
export interface DataspaceSurface<T = unknown> extends SurfaceBase<'dataspace'> {
  /** @internal Type-level only: carries the value types for inference; never present at runtime. */
  readonly [VALUE_TYPES]?: { value: T };
}
/** A channel surface whose messages have type `T`. */
export interface ChannelSurface<T = unknown> extends SurfaceBase<'channel'> {
  /** @internal Type-level only: carries the value types for inference; never present at runtime. */
  readonly [VALUE_TYPES]?: { message: T };
}

/** Any surface. */
export type AnySurface =
  | RecordSurface<any>
  | LogSurface<any>
  | ClaimSurface<any>
  | QueueSurface<any, any>
  | DataspaceSurface<any>
  | ChannelSurface<any>;
