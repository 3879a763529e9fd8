import type {
  ChannelSurface,
  ClaimSurface,
  DataspaceSurface,
  LogSurface,
  QueueSurface,
  RecordSurface,
} from '../surface/surface.js';
import type { ChannelHandle } from './handles/channel-handle.js';
import type { ClaimHandle } from './handles/claim-handle.js';
import type { DataspaceHandle } from './handles/dataspace-handle.js';
import type { LogHandle } from './handles/log-handle.js';
import type { QueueHandle } from './handles/queue-handle.js';
import type { RecordHandle } from './handles/record-handle.js';

/** The handle type `runtime.use(surface)` returns for a surface type. */
export type HandleOf<S> =
  S extends RecordSurface<infer T>
    ? RecordHandle<T>
    : S extends LogSurface<infer T>
      ? LogHandle<T>
      : S extends ClaimSurface<infer R>
        ? ClaimHandle<R>
        : S extends QueueSurface<infer P, infer R>
          ? QueueHandle<P, R>
          : S extends DataspaceSurface<infer T>
            ? DataspaceHandle<T>
            : S extends ChannelSurface<infer T>
              ? ChannelHandle<T>
              : never;
