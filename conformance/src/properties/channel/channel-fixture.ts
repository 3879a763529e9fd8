import { Type } from '@sinclair/typebox';
import { channel, type ChannelHandle, type ChannelSurface, type Registry, type Runtime } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import type { Fixture } from '../../environment/fixture.js';

/** A channel surface whose messages are anything, so that the model's ids and bodies travel as they are. */
export function defineChannel(
  registry: Registry,
  cls: DurabilityClass,
  id = 'conformance.channel',
): ChannelSurface<unknown> {
  return channel(id, { durability: cls, message: Type.Unknown(), registry }) as ChannelSurface<unknown>;
}

/** Handles on `n` replicas of the fixture's first surface: client 0 is the fixture's runtime, the others are peers. */
export async function replicas(
  fixture: Fixture<readonly [ChannelSurface<unknown>, ...ChannelSurface<unknown>[]]>,
  n: number,
): Promise<ChannelHandle<unknown>[]> {
  const runtimes = [fixture.rt];
  while (runtimes.length < n) runtimes.push(await fixture.peer());
  return runtimes.map((rt) => rt.use(fixture.surfaces[0]));
}

/** Whether the runtime's adapter claims pattern subscriptions. */
export const claimsPatterns = (rt: Runtime) => rt.adapter.capabilities.kinds.channel?.features.patterns === true;
