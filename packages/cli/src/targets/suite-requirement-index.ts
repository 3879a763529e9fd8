import { listRequirements } from '@stateproof/spec';
import {
  ALL_PROPERTIES,
  GENERATE_COMMAND,
  buildRequirementIndex,
  type RequirementIndex,
} from '@stateproof/conformance';
import { KITS } from './kits.js';

/**
 * The requirement -> properties -> mutants index of the suite with the mutants of every kit the CLI
 * knows: what `npm run generate` commits as conformance/requirement-index.json and what
 * `stateproof docs contract` prints beside each requirement.
 */
export function suiteRequirementIndex(): RequirementIndex {
  return buildRequirementIndex({
    requirements: listRequirements(),
    properties: ALL_PROPERTIES,
    mutants: KITS.flatMap((k) => k.mutants),
    generatedBy: GENERATE_COMMAND,
  });
}
