import type { DataspaceFilter } from '../adapter/dataspace-store.js';
import { compileGlob } from './glob.js';

/** A predicate on assertion ids for a dataspace filter (all, exact, literal prefix, glob). */
export function filterMatcher(filter: DataspaceFilter): (id: string) => boolean {
  switch (filter.type) {
    case 'all':
      return () => true;
    case 'exact':
      return (id) => id === filter.id;
    case 'prefix':
      return (id) => id.startsWith(filter.prefix);
    case 'glob':
      return compileGlob(filter.pattern);
  }
}
