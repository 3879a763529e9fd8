import type { ConformanceKit } from '@stateproof/conformance';
import { SQLITE_MUTANTS } from './sqlite-mutants.js';
import { sqliteTarget } from './sqlite-target.js';

/** The SQLite adapter's conformance kit: its target on a file, and its engine mutants. */
export const sqliteKit: ConformanceKit = {
  name: 'sqlite',
  description: 'the SQLite adapter on --file, or a file in a temporary directory removed at exit (restart-safe-local)',
  target: (settings) => {
    const target = sqliteTarget(settings.file === undefined ? {} : { file: settings.file });
    process.once('exit', () => target.cleanup());
    return target;
  },
  mutants: SQLITE_MUTANTS,
};
