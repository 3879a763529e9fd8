import { StateproofError } from '@stateproof/spec';

/** Which option of a run selected nothing. */
export type SelectionOption = 'property' | 'kinds' | 'classes';

/**
 * A conformance run whose selection names nothing, or runs nothing: an unknown property, kind or
 * class, a class the adapter does not claim, or a selection under which no property applies. Code
 * `STATEPROOF_NOTHING_SELECTED`; `path` is the option, `details.valid` the names it accepts and
 * `details.suggestion` the closest one, when there is one. Nothing ran and no certificate exists.
 */
export class SelectionError extends StateproofError {
  /** `message` says what was selected and why nothing runs. */
  constructor(
    message: string,
    /** The option that selected nothing. */
    readonly option: SelectionOption,
    /** The names the option accepts here. */
    readonly valid: readonly string[],
    /** The valid name closest to what was given. */
    readonly suggestion?: string,
  ) {
    super('STATEPROOF_NOTHING_SELECTED', message, {
      path: option,
      hint: `${suggestion ? `Did you mean ${suggestion}? ` : ''}Valid: ${valid.join(', ')}.`,
      details: { valid: [...valid], ...(suggestion ? { suggestion } : {}) },
    });
  }
}
