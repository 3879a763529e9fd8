import type { Assertion } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryDataspaceStore } from '../../memory-dataspace-store.js';
import { withDataspaceStore } from './dataspace-mutants.js';
import { mutantTarget } from './mutant-target.js';

/** One macrotask: every call already in flight on other clients gets to run (see concurrency-mutants.ts). */
const raceWindow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * assert() checks that no other live session owns the id, then writes after the race window, as a
 * networked backend that reads the owner without a lock would: two sessions asserting one free id at
 * once both succeed, and the second silently takes the first one's assertion.
 */
class CheckThenAssert extends MemoryDataspaceStore {
  override async assert(session: string, id: string, value: string): Promise<{ revision: number }> {
    const s = this.live(session);
    this.assertWritable(id, s);
    await raceWindow();
    const revision = ++this.space.revision;
    const assertion: Assertion = { id, value, session: s.id, owner: s.owner, revision };
    this.space.assertions.set(id, assertion);
    s.ids.add(id);
    this.emit(id, { type: 'asserted', revision, assertion });
    return { revision };
  }
}

/** Races of the dataspace store that only concurrent sessions can catch (dataspace/concurrency). */
export const DATASPACE_RACE_MUTANTS: readonly Mutant[] = [
  {
    name: 'dataspace-assert-race-two-owners',
    kind: 'dataspace',
    bug: 'assert checks the owner and writes after another call ran: two sessions asserting a free id at once both succeed, the second taking the first one’s assertion',
    breaks: ['DSP-005'],
    target: () => mutantTarget('dataspace-assert-race-two-owners', withDataspaceStore(CheckThenAssert)),
  },
];
