import type { ChannelSelector } from '../adapter/channel-store.js';
import { compileGlob } from './glob.js';

/** A predicate on topics for a channel selector: an exact topic, or a glob pattern (`*`, `?`, `\`). */
export function selectorMatcher(selector: ChannelSelector): (topic: string) => boolean {
  return 'topic' in selector ? (t) => t === selector.topic : compileGlob(selector.pattern);
}
