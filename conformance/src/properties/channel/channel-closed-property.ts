import type { ChannelHandle, ChannelSurface } from '@stateproof/core';
import { closedProperty } from '../common/closed-property.js';
import { defineChannel } from './channel-fixture.js';

/** After close, publish and subscribe fail with STATEPROOF_CLOSED. */
export const channelClosedProperty = closedProperty<ChannelSurface<unknown>>({
  kind: 'channel',
  requirement: 'CHN-013',
  define: (registry, cls) => defineChannel(registry, cls),
  operations: {
    publish: (h) => (h as ChannelHandle<unknown>).publish('t', 1),
    subscribe: (h) => (h as ChannelHandle<unknown>).subscribe({ topic: 't' }),
  },
});
