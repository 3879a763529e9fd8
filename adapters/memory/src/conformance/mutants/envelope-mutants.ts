import { ValueCodec } from '@stateproof/core';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import type { MemoryAdapterOptions } from '../../memory-adapter.js';
import { mutantTarget } from './mutant-target.js';

/** What the patch needs of a codec: its options (the scope level) and the header check it replaces. */
interface CodecInternals {
  readonly o: { readonly level: 'app' | 'deployment' };
  checkHeader(header: string): void;
}

// Adapters of this mutant now open: the patched check skips the deployment fields only while one is.
let open = 0;
let patched = false;

/**
 * Plants the bug in core, not in the adapter: the envelope check is core's (value-codec.ts), so a
 * codec that forgets the deployment and fingerprint of deployment-scoped surfaces is a bug no
 * adapter store can hold. The patch checks such a codec's header as an app-scoped one's, and only
 * while an adapter of this mutant is open, so other targets in the process see core unchanged.
 */
function patchCodec(): void {
  if (patched) return;
  patched = true;
  const proto = ValueCodec.prototype as unknown as CodecInternals;
  const original = proto.checkHeader;
  proto.checkHeader = function (this: CodecInternals, header: string): void {
    if (open === 0 || this.o.level !== 'deployment') return original.call(this, header);
    return original.call(
      Object.assign(Object.create(this) as CodecInternals, { o: { ...this.o, level: 'app' } }),
      header,
    );
  };
}

/** The memory adapter, counted while open (see patchCodec). */
class DeploymentUncheckedAdapter extends MemoryAdapter {
  private counted = true;
  constructor(options: MemoryAdapterOptions) {
    super(options);
    patchCodec();
    open++;
  }
  override async close(): Promise<void> {
    if (this.counted) open--;
    this.counted = false;
    await super.close();
  }
}

/** Mutants of the envelope rule, which core enforces for every kind. */
export const ENVELOPE_MUTANTS: readonly Mutant[] = [
  {
    name: 'envelope-deployment-unchecked',
    kind: 'record',
    bug: 'the envelope check skips deployment and fingerprint on deployment-scoped surfaces (planted in core), so a value of another deployment or build is decoded',
    breaks: ['REC-028', 'LOG-026', 'CLM-015', 'QUE-032', 'DSP-020', 'CHN-011'],
    target: () => mutantTarget('envelope-deployment-unchecked', DeploymentUncheckedAdapter),
  },
];
